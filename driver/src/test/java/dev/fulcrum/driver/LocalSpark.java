package dev.fulcrum.driver;

import org.apache.spark.sql.SparkSession;

/** A small local[2] session for tests: no UI, loopback only, few shuffle partitions. */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static SparkSession start(String name) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
