#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *at;
    const char *start;
    char *err;
    size_t errlen;
    int depth;
} reader;

static int fail(reader *r, const char *what) {
    if (r->err != NULL && r->errlen > 0 && r->err[0] == '\0')
        snprintf(r->err, r->errlen, "%s at offset %ld", what, (long)(r->at - r->start));
    return 0;
}

static void skip_space(reader *r) {
    while (*r->at == ' ' || *r->at == '\t' || *r->at == '\n' || *r->at == '\r')
        r->at++;
}

static json *new_node(json_type type) {
    json *n = calloc(1, sizeof(json));
    if (n != NULL)
        n->type = type;
    return n;
}

static int append(json *parent, json *child) {
    json **grown = realloc(parent->items, (parent->count + 1) * sizeof(json *));
    if (grown == NULL)
        return 0;
    parent->items = grown;
    parent->items[parent->count++] = child;
    return 1;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads a quoted string; \u escapes are kept to one byte below 0x80 and UTF-8 otherwise. */
static char *read_string(reader *r) {
    if (*r->at != '"') {
        fail(r, "expected a string");
        return NULL;
    }
    r->at++;
    size_t cap = 32, len = 0;
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    for (;;) {
        char c = *r->at;
        if (c == '\0' || (unsigned char)c < 0x20) {
            free(out);
            fail(r, "unterminated string");
            return NULL;
        }
        r->at++;
        if (c == '"')
            break;
        char buf[4];
        size_t n = 1;
        buf[0] = c;
        if (c == '\\') {
            char e = *r->at++;
            switch (e) {
            case '"': buf[0] = '"'; break;
            case '\\': buf[0] = '\\'; break;
            case '/': buf[0] = '/'; break;
            case 'b': buf[0] = '\b'; break;
            case 'f': buf[0] = '\f'; break;
            case 'n': buf[0] = '\n'; break;
            case 'r': buf[0] = '\r'; break;
            case 't': buf[0] = '\t'; break;
            case 'u': {
                unsigned int cp = 0;
                for (int i = 0; i < 4; i++) {
                    int h = hex_value(*r->at);
                    if (h < 0) {
                        free(out);
                        fail(r, "bad \\u escape");
                        return NULL;
                    }
                    cp = cp * 16 + (unsigned int)h;
                    r->at++;
                }
                if (cp < 0x80) {
                    buf[0] = (char)cp;
                } else if (cp < 0x800) {
                    buf[0] = (char)(0xC0 | (cp >> 6));
                    buf[1] = (char)(0x80 | (cp & 0x3F));
                    n = 2;
                } else {
                    buf[0] = (char)(0xE0 | (cp >> 12));
                    buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    buf[2] = (char)(0x80 | (cp & 0x3F));
                    n = 3;
                }
                break;
            }
            default:
                free(out);
                fail(r, "bad escape in string");
                return NULL;
            }
        }
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *grown = realloc(out, cap);
            if (grown == NULL) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        memcpy(out + len, buf, n);
        len += n;
    }
    out[len] = '\0';
    return out;
}

static json *read_value(reader *r);

static json *read_container(reader *r, int object) {
    json *node = new_node(object ? JSON_OBJECT : JSON_ARRAY);
    if (node == NULL)
        return NULL;
    char close = object ? '}' : ']';
    r->at++;
    skip_space(r);
    if (*r->at == close) {
        r->at++;
        return node;
    }
    for (;;) {
        char *key = NULL;
        skip_space(r);
        if (object) {
            key = read_string(r);
            if (key == NULL)
                goto bad;
            skip_space(r);
            if (*r->at != ':') {
                free(key);
                fail(r, "expected ':'");
                goto bad;
            }
            r->at++;
        }
        json *child = read_value(r);
        if (child == NULL) {
            free(key);
            goto bad;
        }
        child->key = key;
        if (!append(node, child)) {
            json_free(child);
            goto bad;
        }
        skip_space(r);
        if (*r->at == ',') {
            r->at++;
            continue;
        }
        if (*r->at == close) {
            r->at++;
            return node;
        }
        fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
        goto bad;
    }
bad:
    json_free(node);
    return NULL;
}

static json *read_number(reader *r) {
    const char *begin = r->at;
    if (*r->at == '-')
        r->at++;
    if (!(*r->at >= '0' && *r->at <= '9')) {
        fail(r, "unexpected character");
        return NULL;
    }
    while ((*r->at >= '0' && *r->at <= '9') || *r->at == '.' || *r->at == 'e' || *r->at == 'E'
           || *r->at == '+' || *r->at == '-')
        r->at++;
    json *node = new_node(JSON_NUMBER);
    if (node == NULL)
        return NULL;
    size_t len = (size_t)(r->at - begin);
    node->text = malloc(len + 1);
    if (node->text == NULL) {
        free(node);
        return NULL;
    }
    memcpy(node->text, begin, len);
    node->text[len] = '\0';
    return node;
}

static json *read_literal(reader *r, const char *word, json_type type, int value) {
    size_t len = strlen(word);
    if (strncmp(r->at, word, len) != 0) {
        fail(r, "unexpected character");
        return NULL;
    }
    r->at += len;
    json *node = new_node(type);
    if (node != NULL)
        node->boolean = value;
    return node;
}

static json *read_value(reader *r) {
    skip_space(r);
    if (++r->depth > 64) {
        fail(r, "nesting too deep");
        return NULL;
    }
    json *node;
    if (*r->at == '\0') {
        fail(r, "unexpected end of input");
        return NULL;
    }
    switch (*r->at) {
    case '{': node = read_container(r, 1); break;
    case '[': node = read_container(r, 0); break;
    case '"': {
        char *s = read_string(r);
        node = NULL;
        if (s != NULL) {
            node = new_node(JSON_STRING);
            if (node == NULL)
                free(s);
            else
                node->text = s;
        }
        break;
    }
    case 't': node = read_literal(r, "true", JSON_BOOL, 1); break;
    case 'f': node = read_literal(r, "false", JSON_BOOL, 0); break;
    case 'n': node = read_literal(r, "null", JSON_NULL, 0); break;
    default: node = read_number(r); break;
    }
    r->depth--;
    return node;
}

json *json_parse(const char *text, char *err, size_t errlen) {
    reader r = {text, text, err, errlen, 0};
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    json *root = read_value(&r);
    if (root == NULL) {
        fail(&r, "out of memory");
        return NULL;
    }
    skip_space(&r);
    if (*r.at != '\0') {
        fail(&r, "trailing characters after the JSON value");
        json_free(root);
        return NULL;
    }
    return root;
}

void json_free(json *node) {
    if (node == NULL)
        return;
    for (size_t i = 0; i < node->count; i++)
        json_free(node->items[i]);
    free(node->items);
    free(node->key);
    free(node->text);
    free(node);
}

const json *json_member(const json *object, const char *key) {
    if (object == NULL || object->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->items[i]->key, key) == 0)
            return object->items[i];
    return NULL;
}

const json *json_path(const json *object, const char *path) {
    char name[128];
    const json *at = object;
    while (at != NULL && *path != '\0') {
        const char *dot = strchr(path, '.');
        size_t len = dot == NULL ? strlen(path) : (size_t)(dot - path);
        if (len >= sizeof(name))
            return NULL;
        memcpy(name, path, len);
        name[len] = '\0';
        at = json_member(at, name);
        path += len + (dot == NULL ? 0 : 1);
    }
    return at;
}

const json *json_element(const json *array, size_t index) {
    if (array == NULL || array->type != JSON_ARRAY || index >= array->count)
        return NULL;
    return array->items[index];
}

int json_u64(const json *node, unsigned long long *out) {
    if (node == NULL)
        return 0;
    if (node->type == JSON_BOOL) {
        *out = (unsigned long long)node->boolean;
        return 1;
    }
    if (node->type != JSON_NUMBER)
        return 0;
    /* Negative literals wrap like C conversions, so -1 reads as all ones. */
    if (node->text[0] == '-')
        *out = (unsigned long long)strtoll(node->text, NULL, 10);
    else
        *out = strtoull(node->text, NULL, 10);
    return 1;
}

int json_i64(const json *node, long long *out) {
    unsigned long long v;
    if (!json_u64(node, &v))
        return 0;
    *out = (long long)v;
    return 1;
}

const char *json_string(const json *node) {
    return node != NULL && node->type == JSON_STRING ? node->text : NULL;
}
