/*
 * Mock libnvidia-ml.so.1 for nvjrun's simulated GPU host. Every answer comes from the gpus.json
 * found next to the library (<libdir>/../../../etc/nvjrun-fakegpu/gpus.json) or named by
 * $NVJRUN_FAKEGPU_CONFIG. The file is read again at every nvmlInit so tests can rewrite it.
 * Handles point into static tables that never move, so a handle stays a valid pointer for the
 * life of the process even when the description is re-read.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "nvml_types.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_GPUS 64
#define MAX_MIG_DEVICES 8
#define MAX_CONFIG_BYTES (4 * 1024 * 1024)

struct nvmlDevice_st {
    int in_use;
    int is_mig;
    unsigned int position;          /* index among GPUs, or among the parent's MIG devices */
    const json *node;
    struct nvmlDevice_st *parent;   /* the GPU of a MIG device */
};

static struct nvmlDevice_st gpus[MAX_GPUS];
static struct nvmlDevice_st migs[MAX_GPUS][MAX_MIG_DEVICES];
static unsigned int gpu_count;
static json *config;
static int init_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static nvmlReturn_t leave(nvmlReturn_t result) {
    pthread_mutex_unlock(&lock);
    return result;
}

/* Locates gpus.json relative to this very copy of the library, so each fake host has its own. */
static int config_path(char *out, size_t size) {
    Dl_info info;
    if (dladdr((void *)&config_path, &info) != 0 && info.dli_fname != NULL && info.dli_fname[0] == '/') {
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", info.dli_fname);
        char *slash = strrchr(dir, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(out, size, "%s/../../../etc/nvjrun-fakegpu/gpus.json", dir);
            FILE *probe = fopen(out, "r");
            if (probe != NULL) {
                fclose(probe);
                return 1;
            }
        }
    }
    const char *env = getenv("NVJRUN_FAKEGPU_CONFIG");
    if (env != NULL && env[0] != '\0') {
        snprintf(out, size, "%s", env);
        return 1;
    }
    return 0;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *text = malloc(MAX_CONFIG_BYTES + 1);
    size_t n = text == NULL ? 0 : fread(text, 1, MAX_CONFIG_BYTES, f);
    fclose(f);
    if (text == NULL)
        return NULL;
    text[n] = '\0';
    return text;
}

static void forget_devices(void) {
    memset(gpus, 0, sizeof(gpus));
    memset(migs, 0, sizeof(migs));
    gpu_count = 0;
    json_free(config);
    config = NULL;
}

static void index_devices(void) {
    const json *list = json_member(config, "gpus");
    for (size_t i = 0; list != NULL && i < list->count && i < MAX_GPUS; i++) {
        struct nvmlDevice_st *gpu = &gpus[i];
        gpu->in_use = 1;
        gpu->position = (unsigned int)i;
        gpu->node = list->items[i];
        const json *devices = json_path(gpu->node, "mig.devices");
        for (size_t m = 0; devices != NULL && m < devices->count && m < MAX_MIG_DEVICES; m++) {
            struct nvmlDevice_st *mig = &migs[i][m];
            mig->in_use = 1;
            mig->is_mig = 1;
            mig->position = (unsigned int)m;
            mig->node = devices->items[m];
            mig->parent = gpu;
        }
        gpu_count++;
    }
}

static nvmlReturn_t load_config(void) {
    char path[PATH_MAX + 64];
    if (!config_path(path, sizeof(path))) {
        fprintf(stderr, "nvjrun-fakegpu: no gpus.json next to the mock NVML library and "
                        "NVJRUN_FAKEGPU_CONFIG is unset; create the host with nvjrun-fakegpu create\n");
        return NVML_ERROR_DRIVER_NOT_LOADED;
    }
    char *text = read_file(path);
    if (text == NULL) {
        fprintf(stderr, "nvjrun-fakegpu: cannot read %s; create the host with nvjrun-fakegpu create\n", path);
        return NVML_ERROR_DRIVER_NOT_LOADED;
    }
    char err[160];
    json *parsed = json_parse(text, err, sizeof(err));
    free(text);
    if (parsed == NULL || parsed->type != JSON_OBJECT) {
        fprintf(stderr, "nvjrun-fakegpu: %s is not a JSON object (%s); rewrite it or recreate the host\n",
                path, parsed == NULL ? err : "wrong type");
        json_free(parsed);
        return NVML_ERROR_UNKNOWN;
    }
    forget_devices();
    config = parsed;
    index_devices();
    return NVML_SUCCESS;
}

static int function_disabled(const char *function) {
    const json *list = json_path(config, "failures.notSupported");
    for (size_t i = 0; list != NULL && i < list->count; i++) {
        const char *name = json_string(list->items[i]);
        if (name != NULL && strcmp(name, function) == 0)
            return 1;
    }
    return 0;
}

static int is_known_handle(nvmlDevice_t handle) {
    if (handle == NULL)
        return 0;
    if (handle >= &gpus[0] && handle < &gpus[MAX_GPUS])
        return handle->in_use;
    const struct nvmlDevice_st *first = &migs[0][0];
    const struct nvmlDevice_st *end = &migs[MAX_GPUS - 1][MAX_MIG_DEVICES];
    return handle >= first && handle < end && handle->in_use;
}

static int is_lost(nvmlDevice_t handle) {
    unsigned long long lost = 0;
    const json *gpu = handle->is_mig ? handle->parent->node : handle->node;
    return json_u64(json_member(gpu, "lost"), &lost) && lost != 0;
}

/* Takes the lock and checks the state every system call shares. */
static nvmlReturn_t enter(const char *function) {
    pthread_mutex_lock(&lock);
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    if (function_disabled(function))
        return NVML_ERROR_NOT_SUPPORTED;
    return NVML_SUCCESS;
}

/* Takes the lock and checks the state every device call shares; on failure the lock is still held. */
static nvmlReturn_t enter_device(const char *function, nvmlDevice_t handle) {
    nvmlReturn_t r = enter(function);
    if (r == NVML_ERROR_NOT_SUPPORTED)
        r = NVML_SUCCESS; /* decided below, after the handle is known to be good */
    if (r != NVML_SUCCESS)
        return r;
    if (!is_known_handle(handle))
        return NVML_ERROR_INVALID_ARGUMENT;
    if (is_lost(handle))
        return NVML_ERROR_GPU_IS_LOST;
    if (function_disabled(function))
        return NVML_ERROR_NOT_SUPPORTED;
    return NVML_SUCCESS;
}

#define DEVICE_CALL(handle)                                   \
    do {                                                      \
        nvmlReturn_t entered_ = enter_device(__func__, handle); \
        if (entered_ != NVML_SUCCESS)                         \
            return leave(entered_);                           \
    } while (0)

#define SYSTEM_CALL()                                         \
    do {                                                      \
        nvmlReturn_t entered_ = enter(__func__);              \
        if (entered_ != NVML_SUCCESS)                         \
            return leave(entered_);                           \
    } while (0)

static nvmlReturn_t copy_string(const char *value, char *buffer, unsigned int length) {
    if (buffer == NULL)
        return NVML_ERROR_INVALID_ARGUMENT;
    if (value == NULL)
        return NVML_ERROR_NOT_SUPPORTED;
    if (strlen(value) + 1 > length)
        return NVML_ERROR_INSUFFICIENT_SIZE;
    memcpy(buffer, value, strlen(value) + 1);
    return NVML_SUCCESS;
}

static nvmlReturn_t read_uint(const json *node, const char *path, unsigned int *out) {
    unsigned long long v;
    if (out == NULL)
        return NVML_ERROR_INVALID_ARGUMENT;
    if (!json_u64(json_path(node, path), &v))
        return NVML_ERROR_NOT_SUPPORTED;
    *out = (unsigned int)v;
    return NVML_SUCCESS;
}

static nvmlReturn_t read_u64(const json *node, const char *path, unsigned long long *out) {
    if (out == NULL)
        return NVML_ERROR_INVALID_ARGUMENT;
    return json_u64(json_path(node, path), out) ? NVML_SUCCESS : NVML_ERROR_NOT_SUPPORTED;
}

static nvmlReturn_t device_uint(nvmlDevice_t device, const char *path, unsigned int *out) {
    return read_uint(device->node, path, out);
}

/* ---- initialisation and system queries ------------------------------------------------------ */

EXPORT nvmlReturn_t nvmlInitWithFlags(unsigned int flags) {
    (void)flags;
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = load_config();
    if (r != NVML_SUCCESS)
        return leave(r);
    unsigned long long injected = 0;
    if (json_u64(json_path(config, "failures.initReturn"), &injected) && injected != NVML_SUCCESS) {
        if (init_count == 0)
            forget_devices();
        return leave((nvmlReturn_t)injected);
    }
    if (json_u64(json_path(config, "failures.driverNotLoaded"), &injected) && injected != 0) {
        if (init_count == 0)
            forget_devices();
        return leave(NVML_ERROR_DRIVER_NOT_LOADED);
    }
    init_count++;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlInit_v2(void) {
    return nvmlInitWithFlags(0);
}

EXPORT nvmlReturn_t nvmlShutdown(void) {
    pthread_mutex_lock(&lock);
    if (init_count == 0)
        return leave(NVML_ERROR_UNINITIALIZED);
    if (--init_count == 0)
        forget_devices();
    return leave(NVML_SUCCESS);
}

EXPORT const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NO_PERMISSION: return "Insufficient Permissions";
    case NVML_ERROR_ALREADY_INITIALIZED: return "Already Initialized";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_INSUFFICIENT_POWER: return "Insufficient External Power";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    case NVML_ERROR_TIMEOUT: return "Timeout";
    case NVML_ERROR_IRQ_ISSUE: return "Interrupt request issue";
    case NVML_ERROR_LIBRARY_NOT_FOUND: return "NVML Shared Library Not Found";
    case NVML_ERROR_FUNCTION_NOT_FOUND: return "Function Not Found";
    case NVML_ERROR_CORRUPTED_INFOROM: return "Corrupted infoROM";
    case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
    case NVML_ERROR_RESET_REQUIRED: return "GPU requires restart";
    case NVML_ERROR_OPERATING_SYSTEM: return "The operating system has blocked the request.";
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH: return "RM has detected an NVML/RM version mismatch.";
    case NVML_ERROR_IN_USE: return "In use by another client";
    case NVML_ERROR_MEMORY: return "Insufficient Memory";
    case NVML_ERROR_NO_DATA: return "No data";
    case NVML_ERROR_ARGUMENT_VERSION_MISMATCH: return "Argument version mismatch";
    default: return "Unknown Error";
    }
}

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    SYSTEM_CALL();
    return leave(copy_string(json_string(json_member(config, "driverVersion")), version, length));
}

EXPORT nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length) {
    SYSTEM_CALL();
    return leave(copy_string(json_string(json_member(config, "nvmlVersion")), version, length));
}

static nvmlReturn_t cuda_version(int *version) {
    long long v;
    if (version == NULL)
        return NVML_ERROR_INVALID_ARGUMENT;
    if (!json_i64(json_member(config, "cudaDriverVersion"), &v))
        return NVML_ERROR_NOT_SUPPORTED;
    *version = (int)v;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlSystemGetCudaDriverVersion(int *cudaDriverVersion) {
    SYSTEM_CALL();
    return leave(cuda_version(cudaDriverVersion));
}

#ifndef NVJRUN_LEGACY
EXPORT nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *cudaDriverVersion) {
    SYSTEM_CALL();
    return leave(cuda_version(cudaDriverVersion));
}
#endif

EXPORT nvmlReturn_t nvmlSystemGetProcessName(unsigned int pid, char *name, unsigned int length) {
    SYSTEM_CALL();
    if (name == NULL || length == 0)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    for (unsigned int g = 0; g < gpu_count; g++) {
        const json *processes = json_member(gpus[g].node, "processes");
        for (size_t p = 0; processes != NULL && p < processes->count; p++) {
            unsigned long long candidate;
            if (json_u64(json_member(processes->items[p], "pid"), &candidate) && candidate == pid) {
                const char *found = json_string(json_member(processes->items[p], "name"));
                if (found == NULL)
                    return leave(NVML_ERROR_NOT_FOUND);
                /* The real library truncates to the buffer rather than failing. */
                snprintf(name, length, "%s", found);
                return leave(NVML_SUCCESS);
            }
        }
    }
    return leave(NVML_ERROR_NOT_FOUND);
}

/* ---- finding devices ------------------------------------------------------------------------ */

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) {
    SYSTEM_CALL();
    if (deviceCount == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    *deviceCount = gpu_count;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    SYSTEM_CALL();
    if (device == NULL || index >= gpu_count)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    *device = &gpus[index];
    return leave(is_lost(&gpus[index]) ? NVML_ERROR_GPU_IS_LOST : NVML_SUCCESS);
}

static nvmlReturn_t found(nvmlDevice_t handle, nvmlDevice_t *out) {
    *out = handle;
    return is_lost(handle) ? NVML_ERROR_GPU_IS_LOST : NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByUUID(const char *uuid, nvmlDevice_t *device) {
    SYSTEM_CALL();
    if (uuid == NULL || device == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    for (unsigned int g = 0; g < gpu_count; g++) {
        const char *candidate = json_string(json_member(gpus[g].node, "uuid"));
        if (candidate != NULL && strcmp(candidate, uuid) == 0)
            return leave(found(&gpus[g], device));
        for (unsigned int m = 0; m < MAX_MIG_DEVICES && migs[g][m].in_use; m++) {
            candidate = json_string(json_member(migs[g][m].node, "uuid"));
            if (candidate != NULL && strcmp(candidate, uuid) == 0)
                return leave(found(&migs[g][m], device));
        }
    }
    return leave(NVML_ERROR_NOT_FOUND);
}

/* Compares bus ids ignoring case and a shorter (legacy, 4-digit) domain. */
static int same_bus_id(const char *a, const char *b) {
    unsigned int da, ba, va, fa, db, bb, vb, fb;
    if (sscanf(a, "%x:%x:%x.%x", &da, &ba, &va, &fa) == 4 && sscanf(b, "%x:%x:%x.%x", &db, &bb, &vb, &fb) == 4)
        return da == db && ba == bb && va == vb && fa == fb;
    return strcasecmp(a, b) == 0;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByPciBusId_v2(const char *pciBusId, nvmlDevice_t *device) {
    SYSTEM_CALL();
    if (pciBusId == NULL || device == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    for (unsigned int g = 0; g < gpu_count; g++) {
        const char *candidate = json_string(json_path(gpus[g].node, "pci.busId"));
        if (candidate != NULL && same_bus_id(candidate, pciBusId))
            return leave(found(&gpus[g], device));
    }
    return leave(NVML_ERROR_NOT_FOUND);
}

/* ---- identity ------------------------------------------------------------------------------- */

EXPORT nvmlReturn_t nvmlDeviceGetIndex(nvmlDevice_t device, unsigned int *index) {
    DEVICE_CALL(device);
    if (index == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    *index = device->position;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    DEVICE_CALL(device);
    return leave(copy_string(json_string(json_member(device->node, "name")), name, length));
}

EXPORT nvmlReturn_t nvmlDeviceGetBrand(nvmlDevice_t device, nvmlBrandType_t *type) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "brand", (unsigned int *)type));
}

EXPORT nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t device, nvmlDeviceArchitecture_t *arch) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "architecture", arch));
}

EXPORT nvmlReturn_t nvmlDeviceGetCudaComputeCapability(nvmlDevice_t device, int *major, int *minor) {
    DEVICE_CALL(device);
    if (major == NULL || minor == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    unsigned int ma, mi;
    if (device_uint(device, "computeCapability.major", &ma) != NVML_SUCCESS
        || device_uint(device, "computeCapability.minor", &mi) != NVML_SUCCESS)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    *major = (int)ma;
    *minor = (int)mi;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
    DEVICE_CALL(device);
    return leave(copy_string(json_string(json_member(device->node, "uuid")), uuid, length));
}

EXPORT nvmlReturn_t nvmlDeviceGetSerial(nvmlDevice_t device, char *serial, unsigned int length) {
    DEVICE_CALL(device);
    return leave(copy_string(json_string(json_member(device->node, "serial")), serial, length));
}

EXPORT nvmlReturn_t nvmlDeviceGetMinorNumber(nvmlDevice_t device, unsigned int *minorNumber) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "minor", minorNumber));
}

/* ---- PCI ------------------------------------------------------------------------------------ */

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci) {
    DEVICE_CALL(device);
    if (pci == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    const json *node = json_member(device->node, "pci");
    const char *busId = json_string(json_member(node, "busId"));
    nvmlPciInfo_t out;
    memset(&out, 0, sizeof(out));
    if (busId == NULL || read_uint(node, "domain", &out.domain) != NVML_SUCCESS
        || read_uint(node, "bus", &out.bus) != NVML_SUCCESS || read_uint(node, "device", &out.device) != NVML_SUCCESS)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    read_uint(node, "pciDeviceId", &out.pciDeviceId);
    read_uint(node, "pciSubSystemId", &out.pciSubSystemId);
    snprintf(out.busId, sizeof(out.busId), "%s", busId);
    snprintf(out.busIdLegacy, sizeof(out.busIdLegacy), "%04X:%02X:%02X.0",
             out.domain & 0xFFFF, out.bus & 0xFF, out.device & 0xFF);
    *pci = out;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxPcieLinkGeneration(nvmlDevice_t device, unsigned int *maxLinkGen) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "pcie.maxGeneration", maxLinkGen));
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxPcieLinkWidth(nvmlDevice_t device, unsigned int *maxLinkWidth) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "pcie.maxWidth", maxLinkWidth));
}

EXPORT nvmlReturn_t nvmlDeviceGetCurrPcieLinkGeneration(nvmlDevice_t device, unsigned int *currLinkGen) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "pcie.currentGeneration", currLinkGen));
}

EXPORT nvmlReturn_t nvmlDeviceGetCurrPcieLinkWidth(nvmlDevice_t device, unsigned int *currLinkWidth) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "pcie.currentWidth", currLinkWidth));
}

EXPORT nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t device, nvmlPcieUtilCounter_t counter, unsigned int *value) {
    DEVICE_CALL(device);
    if (counter == NVML_PCIE_UTIL_TX_BYTES)
        return leave(device_uint(device, "pcie.txKBps", value));
    if (counter == NVML_PCIE_UTIL_RX_BYTES)
        return leave(device_uint(device, "pcie.rxKBps", value));
    return leave(NVML_ERROR_INVALID_ARGUMENT);
}

/* ---- memory --------------------------------------------------------------------------------- */

static nvmlReturn_t read_memory(const json *node, unsigned long long *total, unsigned long long *free_,
                                unsigned long long *used) {
    if (!json_u64(json_member(node, "total"), total) || !json_u64(json_member(node, "free"), free_)
        || !json_u64(json_member(node, "used"), used))
        return NVML_ERROR_NOT_SUPPORTED;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
    DEVICE_CALL(device);
    if (memory == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    nvmlMemory_t out;
    nvmlReturn_t r = read_memory(json_member(device->node, "memory"), &out.total, &out.free, &out.used);
    if (r == NVML_SUCCESS)
        *memory = out;
    return leave(r);
}

EXPORT nvmlReturn_t nvmlDeviceGetBAR1MemoryInfo(nvmlDevice_t device, nvmlBAR1Memory_t *bar1Memory) {
    DEVICE_CALL(device);
    if (bar1Memory == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    nvmlBAR1Memory_t out;
    nvmlReturn_t r = read_memory(json_member(device->node, "bar1"), &out.bar1Total, &out.bar1Free, &out.bar1Used);
    if (r == NVML_SUCCESS)
        *bar1Memory = out;
    return leave(r);
}

#ifndef NVJRUN_LEGACY
EXPORT nvmlReturn_t nvmlDeviceGetMemoryBusWidth(nvmlDevice_t device, unsigned int *busWidth) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "memoryBusWidth", busWidth));
}

EXPORT nvmlReturn_t nvmlDeviceGetNumGpuCores(nvmlDevice_t device, unsigned int *numCores) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "cores", numCores));
}
#endif

/* ---- power, thermals, utilisation, clocks --------------------------------------------------- */

EXPORT nvmlReturn_t nvmlDeviceGetPowerManagementLimit(nvmlDevice_t device, unsigned int *limit) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "powerLimit", limit));
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "powerUsage", power));
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, nvmlTemperatureSensors_t sensorType, unsigned int *temp) {
    DEVICE_CALL(device);
    if (sensorType != NVML_TEMPERATURE_GPU)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    return leave(device_uint(device, "temperature", temp));
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
    DEVICE_CALL(device);
    if (utilization == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    nvmlUtilization_t out;
    if (device_uint(device, "utilization.gpu", &out.gpu) != NVML_SUCCESS
        || device_uint(device, "utilization.memory", &out.memory) != NVML_SUCCESS)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    *utilization = out;
    return leave(NVML_SUCCESS);
}

static nvmlReturn_t engine_utilization(nvmlDevice_t device, const char *engine, unsigned int *utilization,
                                       unsigned int *samplingPeriodUs) {
    if (utilization == NULL || samplingPeriodUs == NULL)
        return NVML_ERROR_INVALID_ARGUMENT;
    const json *node = json_member(device->node, engine);
    unsigned int value, period;
    if (read_uint(node, "value", &value) != NVML_SUCCESS || read_uint(node, "samplingPeriodUs", &period) != NVML_SUCCESS)
        return NVML_ERROR_NOT_SUPPORTED;
    *utilization = value;
    *samplingPeriodUs = period;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetEncoderUtilization(nvmlDevice_t device, unsigned int *utilization,
                                                    unsigned int *samplingPeriodUs) {
    DEVICE_CALL(device);
    return leave(engine_utilization(device, "encoderUtilization", utilization, samplingPeriodUs));
}

EXPORT nvmlReturn_t nvmlDeviceGetDecoderUtilization(nvmlDevice_t device, unsigned int *utilization,
                                                    unsigned int *samplingPeriodUs) {
    DEVICE_CALL(device);
    return leave(engine_utilization(device, "decoderUtilization", utilization, samplingPeriodUs));
}

static nvmlReturn_t read_clock(nvmlDevice_t device, const char *group, nvmlClockType_t type, unsigned int *mhz) {
    static const char *const names[NVML_CLOCK_COUNT] = {"graphics", "sm", "mem", "video"};
    if ((unsigned int)type >= NVML_CLOCK_COUNT)
        return NVML_ERROR_INVALID_ARGUMENT;
    return read_uint(json_member(device->node, group), names[type], mhz);
}

EXPORT nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, nvmlClockType_t type, unsigned int *clockMHz) {
    DEVICE_CALL(device);
    return leave(read_clock(device, "clocks", type, clockMHz));
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxClockInfo(nvmlDevice_t device, nvmlClockType_t type, unsigned int *clockMHz) {
    DEVICE_CALL(device);
    return leave(read_clock(device, "maxClocks", type, clockMHz));
}

/* ---- ECC ------------------------------------------------------------------------------------ */

EXPORT nvmlReturn_t nvmlDeviceGetEccMode(nvmlDevice_t device, nvmlEnableState_t *current, nvmlEnableState_t *pending) {
    DEVICE_CALL(device);
    if (current == NULL || pending == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    unsigned int c, p;
    if (device_uint(device, "ecc.current", &c) != NVML_SUCCESS || device_uint(device, "ecc.pending", &p) != NVML_SUCCESS)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    *current = c ? NVML_FEATURE_ENABLED : NVML_FEATURE_DISABLED;
    *pending = p ? NVML_FEATURE_ENABLED : NVML_FEATURE_DISABLED;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t device, nvmlMemoryErrorType_t errorType,
                                                nvmlEccCounterType_t counterType, unsigned long long *eccCounts) {
    DEVICE_CALL(device);
    if ((unsigned int)errorType > NVML_MEMORY_ERROR_TYPE_UNCORRECTED || (unsigned int)counterType > NVML_AGGREGATE_ECC)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    char path[64];
    snprintf(path, sizeof(path), "ecc.errors.%s.%s", counterType == NVML_VOLATILE_ECC ? "volatile" : "aggregate",
             errorType == NVML_MEMORY_ERROR_TYPE_CORRECTED ? "corrected" : "uncorrected");
    return leave(read_u64(device->node, path, eccCounts));
}

/* ---- processes ------------------------------------------------------------------------------ */

#ifndef NVJRUN_LEGACY
EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *infoCount,
                                                            nvmlProcessInfo_t *infos) {
    DEVICE_CALL(device);
    if (infoCount == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    const json *processes = json_member(device->node, "processes");
    if (processes == NULL)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    unsigned int n = (unsigned int)processes->count;
    if (*infoCount < n) {
        *infoCount = n;
        return leave(NVML_ERROR_INSUFFICIENT_SIZE);
    }
    if (n > 0 && infos == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    for (unsigned int i = 0; i < n; i++) {
        const json *p = processes->items[i];
        unsigned long long pid = 0, used = 0, gi = 0xFFFFFFFFu, ci = 0xFFFFFFFFu;
        json_u64(json_member(p, "pid"), &pid);
        json_u64(json_member(p, "usedMemory"), &used);
        json_u64(json_member(p, "gpuInstanceId"), &gi);
        json_u64(json_member(p, "computeInstanceId"), &ci);
        infos[i].pid = (unsigned int)pid;
        infos[i].usedGpuMemory = used;
        infos[i].gpuInstanceId = (unsigned int)gi;
        infos[i].computeInstanceId = (unsigned int)ci;
    }
    *infoCount = n;
    return leave(NVML_SUCCESS);
}
#endif

/* ---- placement: CPUs, NUMA, topology, P2P --------------------------------------------------- */

EXPORT nvmlReturn_t nvmlDeviceGetCpuAffinity(nvmlDevice_t device, unsigned int cpuSetSize, unsigned long *cpuSet) {
    DEVICE_CALL(device);
    if (cpuSet == NULL || cpuSetSize == 0)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    const json *words = json_member(device->node, "cpuAffinity");
    if (words == NULL || words->type != JSON_ARRAY)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    for (unsigned int i = 0; i < cpuSetSize; i++) {
        unsigned long long word = 0;
        json_u64(json_element(words, i), &word);
        cpuSet[i] = (unsigned long)word;
    }
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetNumaNodeId(nvmlDevice_t device, unsigned int *node) {
    DEVICE_CALL(device);
    return leave(device_uint(device, "numaNode", node));
}

/* Checks the second device of a pair query; the lock is already held. */
static nvmlReturn_t peer_ok(nvmlDevice_t peer) {
    if (!is_known_handle(peer) || peer->is_mig)
        return NVML_ERROR_INVALID_ARGUMENT;
    return is_lost(peer) ? NVML_ERROR_GPU_IS_LOST : NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetTopologyCommonAncestor(nvmlDevice_t device1, nvmlDevice_t device2,
                                                        nvmlGpuTopologyLevel_t *pathInfo) {
    DEVICE_CALL(device1);
    nvmlReturn_t r = peer_ok(device2);
    if (r != NVML_SUCCESS || pathInfo == NULL || device1->is_mig)
        return leave(r != NVML_SUCCESS ? r : NVML_ERROR_INVALID_ARGUMENT);
    unsigned long long level;
    if (!json_u64(json_element(json_member(device1->node, "topology"), device2->position), &level))
        return leave(NVML_ERROR_NOT_SUPPORTED);
    *pathInfo = (nvmlGpuTopologyLevel_t)level;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetP2PStatus(nvmlDevice_t device1, nvmlDevice_t device2, nvmlGpuP2PCapsIndex_t p2pIndex,
                                           nvmlGpuP2PStatus_t *p2pStatus) {
    static const char *const names[] = {"read", "write", "nvlink", "atomics", "pci"};
    DEVICE_CALL(device1);
    nvmlReturn_t r = peer_ok(device2);
    if (r != NVML_SUCCESS || p2pStatus == NULL || device1->is_mig || (unsigned int)p2pIndex >= NVML_P2P_CAPS_INDEX_UNKNOWN)
        return leave(r != NVML_SUCCESS ? r : NVML_ERROR_INVALID_ARGUMENT);
    unsigned long long status;
    const json *row = json_member(json_member(device1->node, "p2p"), names[p2pIndex]);
    if (!json_u64(json_element(row, device2->position), &status))
        return leave(NVML_ERROR_NOT_SUPPORTED);
    *p2pStatus = (nvmlGpuP2PStatus_t)status;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetPersistenceMode(nvmlDevice_t device, nvmlEnableState_t *mode) {
    DEVICE_CALL(device);
    unsigned int m;
    if (mode == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    nvmlReturn_t r = device_uint(device, "persistenceMode", &m);
    if (r == NVML_SUCCESS)
        *mode = m ? NVML_FEATURE_ENABLED : NVML_FEATURE_DISABLED;
    return leave(r);
}

/* ---- MIG ------------------------------------------------------------------------------------ */

#ifndef NVJRUN_LEGACY
EXPORT nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode, unsigned int *pendingMode) {
    DEVICE_CALL(device);
    if (currentMode == NULL || pendingMode == NULL || device->is_mig)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    unsigned int c, p;
    if (device_uint(device, "mig.current", &c) != NVML_SUCCESS || device_uint(device, "mig.pending", &p) != NVML_SUCCESS)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    *currentMode = c;
    *pendingMode = p;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count) {
    DEVICE_CALL(device);
    if (device->is_mig)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    return leave(device_uint(device, "mig.maxDevices", count));
}

EXPORT nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index, nvmlDevice_t *migDevice) {
    DEVICE_CALL(device);
    if (migDevice == NULL || device->is_mig)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    unsigned int current, max;
    if (device_uint(device, "mig.current", &current) != NVML_SUCCESS || current == 0)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    if (device_uint(device, "mig.maxDevices", &max) == NVML_SUCCESS && index >= max)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (index >= MAX_MIG_DEVICES || !migs[device->position][index].in_use)
        return leave(NVML_ERROR_NOT_FOUND);
    *migDevice = &migs[device->position][index];
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceIsMigDeviceHandle(nvmlDevice_t device, unsigned int *isMigDevice) {
    DEVICE_CALL(device);
    if (isMigDevice == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    *isMigDevice = (unsigned int)device->is_mig;
    return leave(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t device, unsigned int *id) {
    DEVICE_CALL(device);
    if (id == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (!device->is_mig)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    return leave(device_uint(device, "gpuInstanceId", id));
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t device, unsigned int *id) {
    DEVICE_CALL(device);
    if (id == NULL)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (!device->is_mig)
        return leave(NVML_ERROR_NOT_SUPPORTED);
    return leave(device_uint(device, "computeInstanceId", id));
}

EXPORT nvmlReturn_t nvmlDeviceGetDeviceHandleFromMigDeviceHandle(nvmlDevice_t migDevice, nvmlDevice_t *device) {
    DEVICE_CALL(migDevice);
    if (device == NULL || !migDevice->is_mig)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    *device = migDevice->parent;
    return leave(NVML_SUCCESS);
}
#endif
