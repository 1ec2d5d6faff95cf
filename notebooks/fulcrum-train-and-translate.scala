// Databricks notebook source
// MAGIC %md
// MAGIC # Fulcrum: train a translation model on a table, evaluate it, translate a DataFrame
// MAGIC
// MAGIC Fulcrum trains attention-balanced Transformer translation models on Spark. In a notebook it is a Spark ML
// MAGIC `Estimator`: `FulcrumTranslator.fit` trains on a DataFrame of sentence pairs exactly as `bin/fulcrum train`
// MAGIC does (bad rows dropped and counted, BPE vocabulary, parameter averaging, the attention tuner, checkpoints),
// MAGIC and the `FulcrumTranslationModel` it returns adds a column of translations with `transform`, decoded on
// MAGIC the executors.
// MAGIC
// MAGIC **Before you run it:** attach `fulcrum.jar` to the cluster (Databricks Runtime with Spark 3.5 / Scala 2.12,
// MAGIC Java 17; see the README, "Databricks"), and upload a parallel corpus as a TSV file (`source<TAB>target`
// MAGIC per line) or point `corpus` at a table with two string columns.
// MAGIC
// MAGIC The widgets below name where things live. Paths of the **run directory** are driver file paths: use a
// MAGIC Unity Catalog volume (`/Volumes/catalog/schema/volume/...`) or DBFS through its mount (`/dbfs/...`). The
// MAGIC **model path** is a Spark path (`dbfs:/...`, `/Volumes/...`, `abfss://...`).

// COMMAND ----------

dbutils.widgets.text("corpus", "/Volumes/main/default/fulcrum/en-fr.tsv", "Corpus: a TSV file or a table name")
dbutils.widgets.text("runDir", "/Volumes/main/default/fulcrum/runs/en-fr", "Run directory (driver path, must not exist)")
dbutils.widgets.text("modelPath", "/Volumes/main/default/fulcrum/models/en-fr", "Where the fitted model is saved")
dbutils.widgets.text("rounds", "20", "Training rounds")

val corpus = dbutils.widgets.get("corpus")
val runDir = dbutils.widgets.get("runDir")
val modelPath = dbutils.widgets.get("modelPath")
val rounds = dbutils.widgets.get("rounds").toInt

// COMMAND ----------

// MAGIC %md
// MAGIC ## The corpus as a DataFrame
// MAGIC
// MAGIC Any DataFrame with a source and a target string column will do. Here: a TSV file (a line's first field is
// MAGIC the source, its second the target) or a table; 5% of the pairs are kept aside to evaluate the model on
// MAGIC sentences it never saw.

// COMMAND ----------

import org.apache.spark.sql.functions._

val pairs =
  if (!corpus.contains("/")) spark.table(corpus).toDF("en", "fr")  // a table name: catalog.schema.table
  else spark.read.text(corpus).select(
    split(col("value"), "\t").getItem(0).as("en"),
    split(col("value"), "\t").getItem(1).as("fr"))
val Array(train, test) = pairs.randomSplit(Array(0.95, 0.05), seed = 7)
display(train.limit(5))

// COMMAND ----------

// MAGIC %md
// MAGIC ## Configure and train
// MAGIC
// MAGIC Every key of Fulcrum's run configuration is a param of the same name, default and meaning
// MAGIC (`translator.explainParams()` lists them all): set them with `setConfig`. A value out of range fails here,
// MAGIC naming the key and what is allowed. `fit` prints one progress line per round (losses, tokens/s, the tuner's
// MAGIC decision) and writes metrics, checkpoints and the model to the run directory.

// COMMAND ----------

import dev.fulcrum.ml.{FulcrumTranslator, FulcrumTranslationModel}

val translator = new FulcrumTranslator()
  .setSourceCol("en").setTargetCol("fr").setOutputCol("translation")
  .setConfig("output.dir", runDir)
  .setConfig("vocab.size", 2000)
  .setConfig("model.modelDim", 128).setConfig("model.heads", 4).setConfig("model.ffnDim", 512)
  .setConfig("model.encoderLayers", 2).setConfig("model.decoderLayers", 2).setConfig("model.maxLength", 48)
  .setConfig("train.rounds", rounds).setConfig("train.stepsPerRound", 15)
  .setConfig("train.peakLearningRate", 0.002).setConfig("train.warmupSteps", 60)
  .setConfig("eval.bleuSentences", 50)

println(translator.explainParam(translator.getParam("train.stepsPerRound")))

// COMMAND ----------

val model = translator.fit(train)

// COMMAND ----------

// MAGIC %md
// MAGIC ## Follow the run: learning curves and the tuner's decisions
// MAGIC
// MAGIC `metrics.jsonl` has one JSON line per round: losses, BLEU/chrF on validation sentences, throughput, the
// MAGIC balancing knobs, per-head attention statistics and the tuner's decision with its reason.

// COMMAND ----------

val metrics = spark.read.json(s"file:$runDir/metrics.jsonl")
display(metrics.select("round", "step", "epochs", "trainLoss", "validPerplexity", "bleu", "tokensPerSecond"))

// COMMAND ----------

display(metrics.select(col("round"), col("knobs.entropyWeight"), col("knobs.coverageWeight"),
  col("decision.reason")))

// COMMAND ----------

// MAGIC %md
// MAGIC ## The attention report
// MAGIC
// MAGIC One self-contained page: learning curves, knobs, per-head attention statistics over the rounds, the heads
// MAGIC each layer kept and attention heatmaps of a few validation sentences.

// COMMAND ----------

val report = dev.fulcrum.jobs.report.RunReport.write(java.nio.file.Paths.get(runDir))
displayHTML(new String(java.nio.file.Files.readAllBytes(report), "UTF-8"))

// COMMAND ----------

// MAGIC %md
// MAGIC ## Evaluate on the held-out pairs
// MAGIC
// MAGIC BLEU and chrF of the model's translations (beam search, `decode.beam`) against the references, scored by
// MAGIC Fulcrum's sacreBLEU-compatible scorers.

// COMMAND ----------

import scala.collection.JavaConverters._
import dev.fulcrum.model.eval.{ChrF, CorpusBleu}

val translated = model.transform(test).cache()
val scored = translated.select("translation", "fr").collect()
val hypotheses = scored.map(r => Option(r.getString(0)).getOrElse("")).toList.asJava
val references = scored.map(r => Option(r.getString(1)).getOrElse("")).toList.asJava
println(f"held-out pairs: ${scored.length}%d  BLEU ${CorpusBleu.score(hypotheses, references).score}%.2f" +
  f"  chrF ${ChrF.score(hypotheses, references)}%.2f")
display(translated.select("en", "fr", "translation").limit(10))

// COMMAND ----------

// MAGIC %md
// MAGIC ## Save and load
// MAGIC
// MAGIC The saved model is Fulcrum's normal model directory (checksummed; `bin/fulcrum translate --model` loads it
// MAGIC too) plus Spark's `metadata/`.

// COMMAND ----------

model.write.overwrite().save(modelPath)
val reloaded = FulcrumTranslationModel.load(modelPath)
display(reloaded.copy(org.apache.spark.ml.param.ParamMap.empty).setConfig("decode.beam", 1).transform(test.limit(5)))

// COMMAND ----------

// MAGIC %md
// MAGIC ## In a Pipeline
// MAGIC
// MAGIC The estimator is an ordinary pipeline stage: here after a SQL step that trims the sentences. Fitting the
// MAGIC pipeline trains a second model (into its own run directory); the fitted `PipelineModel` saves and loads
// MAGIC with Spark ML's own writer and reader.

// COMMAND ----------

import org.apache.spark.ml.{Pipeline, PipelineModel, PipelineStage}
import org.apache.spark.ml.feature.SQLTransformer

val trim = new SQLTransformer().setStatement("SELECT trim(en) AS en, trim(fr) AS fr FROM __THIS__")
val pipeline = new Pipeline().setStages(Array[PipelineStage](trim,
  translator.copy(org.apache.spark.ml.param.ParamMap.empty).setConfig("output.dir", runDir + "-pipeline")))
val pipelineModel = pipeline.fit(train)
pipelineModel.write.overwrite().save(modelPath + "-pipeline")
display(PipelineModel.load(modelPath + "-pipeline").transform(test.limit(5)))

// COMMAND ----------

// MAGIC %md
// MAGIC ## Translate a whole table
// MAGIC
// MAGIC `transform` runs on the executors: each partition builds the model once and decodes in length-sorted
// MAGIC batches. Nulls and empty strings give null; over-long sources are cut and counted.

// COMMAND ----------

val sentences = test.select(col("en")).union(spark.createDataFrame(Seq(Tuple1(null: String), Tuple1(""))).toDF("en"))
val out = reloaded.transform(sentences)
println(s"rows: ${out.count()}, cut to the model's maximum length: ${reloaded.truncatedInputs.value}")
