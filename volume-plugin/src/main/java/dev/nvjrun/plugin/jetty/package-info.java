/** What the daemon's two Javalin servers need from Jetty itself: a stop that drains. */
package dev.nvjrun.plugin.jetty;
