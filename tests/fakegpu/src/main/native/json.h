/* A small JSON reader for the mock NVML: parses a whole document into a tree. */
#ifndef NVJRUN_FAKEGPU_JSON_H
#define NVJRUN_FAKEGPU_JSON_H

#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json {
    json_type type;
    char *key;              /* member name when this node sits in an object */
    char *text;             /* string value, or the number's literal text */
    int boolean;
    struct json **items;    /* array elements or object members */
    size_t count;
} json;

/* Returns NULL and fills err when the text is not one well-formed JSON value. */
json *json_parse(const char *text, char *err, size_t errlen);
void json_free(json *node);

/* Member of an object by name, or NULL. */
const json *json_member(const json *object, const char *key);
/* Follows a dotted path of member names ("pci.busId"), or NULL. */
const json *json_path(const json *object, const char *path);
/* Element of an array, or NULL when out of range or not an array. */
const json *json_element(const json *array, size_t index);

/* 1 and the value in *out when the node is a number or boolean; 0 otherwise. */
int json_u64(const json *node, unsigned long long *out);
int json_i64(const json *node, long long *out);
/* The string, or NULL when the node is not a string. */
const char *json_string(const json *node);

#endif
