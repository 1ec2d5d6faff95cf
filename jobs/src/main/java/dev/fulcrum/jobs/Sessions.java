package dev.fulcrum.jobs;

import dev.fulcrum.driver.config.RunConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a run: spark-submit's settings when launched by it, else the run configuration's. */
final class Sessions {
    private Sessions() {
    }

    static SparkSession start(RunConfig.SparkSettings settings) {
        SparkConf conf = new SparkConf(); // loads spark.* system properties, which spark-submit sets
        if (!conf.contains("spark.master")) {
            conf.setMaster(settings.master());
        }
        conf.setIfMissing("spark.app.name", settings.appName());
        // Progress bars would interleave with the per-round progress lines.
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
