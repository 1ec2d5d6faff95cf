package dev.fulcrum.driver;

import org.apache.spark.sql.SparkSession;

/** A small local[2] session for tests: no UI, loopback only, few shuffle partitions. */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static SparkSession start(String name) {
        return start(name, "local[2]");
    }

    /** With another master, e.g. {@code local[2,4]}: two cores, a failed task tried up to four times. */
    public static SparkSession start(String name, String master) {
        return SparkSession.builder()
                .master(master)
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
