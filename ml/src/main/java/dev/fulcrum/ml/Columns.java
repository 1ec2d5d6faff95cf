package dev.fulcrum.ml;

import java.util.Arrays;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.runtime.AbstractFunction1;

/** The column params of the estimator and the model, and the schema checks that name what is wrong. */
final class Columns {
    private Columns() {
    }

    static Param<String> param(Params owner, String name, String doc) {
        return new Param<>(owner.uid(), name, doc, new NonBlank());
    }

    /** @throws IllegalArgumentException naming the param and the column when it is missing or not a string */
    static void requireText(StructType schema, String param, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(param + ": the input has no column '" + column + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        StructField field = schema.apply(column);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(param + ": column '" + column + "' is " + field.dataType().simpleString()
                    + ", expected string");
        }
    }

    /** @throws IllegalArgumentException naming the param when the output column exists already */
    static StructType withOutput(StructType schema, String param, String column) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(param + ": the input already has a column '" + column
                    + "'; choose another output column");
        }
        return schema.add(column, DataTypes.StringType, true);
    }

    private static final class NonBlank extends AbstractFunction1<String, Object> implements java.io.Serializable {
        @Override
        public Object apply(String name) {
            return name != null && !name.isBlank();
        }
    }
}
