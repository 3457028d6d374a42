package dev.nvjrun.nvml;

/** Flags of nvmlInitWithFlags. */
public enum InitFlag {
    /** NVML_INIT_FLAG_NO_GPUS: initialise even when no GPU is attached. */
    NO_GPUS(1),
    /** NVML_INIT_FLAG_NO_ATTACH: do not attach GPUs during init. */
    NO_ATTACH(2);

    private final int bit;

    InitFlag(int bit) {
        this.bit = bit;
    }

    int bit() {
        return bit;
    }
}
