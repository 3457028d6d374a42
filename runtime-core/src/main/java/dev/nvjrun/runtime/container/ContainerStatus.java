package dev.nvjrun.runtime.container;

/** Docker's container states that nvjrun has. */
public enum ContainerStatus {
    CREATED, RUNNING, EXITED
}
