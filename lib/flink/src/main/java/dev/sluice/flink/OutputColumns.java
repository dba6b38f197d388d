package dev.sluice.flink;

import dev.sluice.objects.ObjectSchema;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;
import org.jspecify.annotations.Nullable;

/**
 * A model's OUTPUT columns: one string column (besides {@code error}) is the text; several are
 * structured output, whose JSON Schema is derived from the column types (STRING, BOOLEAN,
 * TINYINT to BIGINT, FLOAT, DOUBLE, DECIMAL, ARRAY, ROW; a nullable type admits {@code null}). Under
 * {@code on-error = null}, a column {@code error} of a string type gets a failed row's message and
 * is left out of the schema. Immutable.
 */
final class OutputColumns implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The column that gets a failed row's message under {@code on-error = null}. */
    static final String ERROR = "error";

    private final List<String> names;
    private final List<LogicalType> types;
    private final int errorIndex;
    private final @Nullable String schemaJson; // null in text mode
    private transient @Nullable ObjectSchema<Map<String, Object>> schema;

    private OutputColumns(List<String> names, List<LogicalType> types, int errorIndex, @Nullable String schemaJson) {
        this.names = names;
        this.types = types;
        this.errorIndex = errorIndex;
        this.schemaJson = schemaJson;
    }

    /**
     * {@return the columns of this OUTPUT schema}
     *
     * @throws IllegalArgumentException for a column that is not physical or of a type with no JSON Schema
     */
    static OutputColumns of(ResolvedSchema output, boolean onErrorNull) {
        List<String> names = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        int error = -1;
        for (Column c : output.getColumns()) {
            if (!c.isPhysical())
                throw new IllegalArgumentException("OUTPUT column " + c.getName() + " must be a physical column");
            LogicalType t = c.getDataType().getLogicalType();
            if (onErrorNull && c.getName().equals(ERROR) && t.is(LogicalTypeFamily.CHARACTER_STRING))
                error = names.size();
            names.add(c.getName());
            types.add(t);
        }
        int answers = names.size() - (error >= 0 ? 1 : 0);
        if (answers == 0)
            throw new IllegalArgumentException("the model's OUTPUT has no column for the answer: " + names);
        boolean text = answers == 1 && types.get(error == 0 ? 1 : 0).is(LogicalTypeFamily.CHARACTER_STRING);
        @Nullable String json = null;
        if (!text) {
            Map<String, Object> props = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++)
                if (i != error) props.put(names.get(i), schemaOf(types.get(i), names.get(i)));
            json = ObjectSchema.of("row", object(props)).toJson(); // checks it
        }
        return new OutputColumns(List.copyOf(names), List.copyOf(types), error, json);
    }

    /** {@return whether the answer is text (one string column), else structured output} */
    boolean text() {
        return schemaJson == null;
    }

    /** {@return the structured output's schema} @throws IllegalStateException in text mode */
    ObjectSchema<Map<String, Object>> schema() {
        if (schemaJson == null) throw new IllegalStateException("text mode");
        ObjectSchema<Map<String, Object>> s = schema;
        if (s == null) {
            s = ObjectSchema.parse("row", schemaJson);
            schema = s;
        }
        return s;
    }

    /** {@return the schema as JSON, or null in text mode} For tests and docs. */
    @Nullable
    String schemaJson() {
        return schemaJson;
    }

    /** {@return the row of a text answer} */
    RowData ofText(String text) {
        GenericRowData row = new GenericRowData(names.size());
        for (int i = 0; i < names.size(); i++) if (i != errorIndex) row.setField(i, StringData.fromString(text));
        return row;
    }

    /**
     * {@return the row of a structured answer}
     *
     * @throws IllegalArgumentException naming the column whose value cannot fill it
     */
    RowData ofObject(Map<String, Object> value) {
        GenericRowData row = new GenericRowData(names.size());
        for (int i = 0; i < names.size(); i++) {
            if (i == errorIndex) continue;
            row.setField(i, convert(value.get(names.get(i)), types.get(i), names.get(i)));
        }
        return row;
    }

    /** {@return the row of a failed call: NULLs, and the message in the error column if there is one} */
    RowData ofFailure(String message) {
        GenericRowData row = new GenericRowData(names.size());
        if (errorIndex >= 0) row.setField(errorIndex, StringData.fromString(message));
        return row;
    }

    private static Map<String, Object> object(Map<String, Object> props) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "object");
        m.put("properties", props);
        m.put("required", List.copyOf(props.keySet()));
        m.put("additionalProperties", false);
        return m;
    }

    private static Object schemaOf(LogicalType t, String path) {
        Map<String, Object> s;
        switch (t.getTypeRoot()) {
            case CHAR, VARCHAR -> s = typed("string", t);
            case BOOLEAN -> s = typed("boolean", t);
            case TINYINT, SMALLINT, INTEGER, BIGINT -> s = typed("integer", t);
            case FLOAT, DOUBLE, DECIMAL -> s = typed("number", t);
            case ARRAY -> {
                s = typed("array", t);
                s.put("items", schemaOf(((ArrayType) t).getElementType(), path + "[]"));
            }
            case ROW -> {
                Map<String, Object> props = new LinkedHashMap<>();
                for (RowType.RowField f : ((RowType) t).getFields())
                    props.put(f.getName(), schemaOf(f.getType(), path + "." + f.getName()));
                s = object(props);
                if (t.isNullable()) s.put("type", List.of("object", "null"));
            }
            default ->
                throw new IllegalArgumentException(
                        "OUTPUT column " + path + " is of type " + t
                                + ", which structured output does not fill (STRING, BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, ARRAY, ROW)");
        }
        return s;
    }

    private static Map<String, Object> typed(String type, LogicalType t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", t.isNullable() ? List.of(type, "null") : type);
        return s;
    }

    private static @Nullable Object convert(@Nullable Object v, LogicalType t, String path) {
        if (v == null) {
            if (t.isNullable()) return null;
            throw new IllegalArgumentException("the answer has no value for " + path + ", which is NOT NULL");
        }
        try {
            return switch (t.getTypeRoot()) {
                case CHAR, VARCHAR -> StringData.fromString((String) v);
                case BOOLEAN -> (Boolean) v;
                case TINYINT -> exact(v).byteValueExact();
                case SMALLINT -> exact(v).shortValueExact();
                case INTEGER -> exact(v).intValueExact();
                case BIGINT -> exact(v).longValueExact();
                case FLOAT -> ((Number) v).floatValue();
                case DOUBLE -> ((Number) v).doubleValue();
                case DECIMAL -> {
                    DecimalType d = (DecimalType) t;
                    DecimalData data =
                            DecimalData.fromBigDecimal(new BigDecimal(v.toString()), d.getPrecision(), d.getScale());
                    if (data == null)
                        throw new IllegalArgumentException("the answer's " + path + " does not fit " + t + ": " + v);
                    yield data;
                }
                case ARRAY -> {
                    List<?> list = (List<?>) v;
                    @Nullable Object[] out = new Object[list.size()];
                    LogicalType e = ((ArrayType) t).getElementType();
                    for (int i = 0; i < out.length; i++) out[i] = convert(list.get(i), e, path + "[" + i + "]");
                    yield new GenericArrayData(out);
                }
                case ROW -> {
                    Map<?, ?> m = (Map<?, ?>) v;
                    List<RowType.RowField> fields = ((RowType) t).getFields();
                    GenericRowData r = new GenericRowData(fields.size());
                    for (int i = 0; i < fields.size(); i++) {
                        r.setField(
                                i,
                                convert(
                                        m.get(fields.get(i).getName()),
                                        fields.get(i).getType(),
                                        path + "." + fields.get(i).getName()));
                    }
                    yield r;
                }
                default -> throw new IllegalArgumentException("unsupported type at " + path + ": " + t);
            };
        } catch (ClassCastException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "the answer's " + path + " does not fit " + t + ": " + e.getMessage(), e);
        }
    }

    private static BigDecimal exact(Object v) {
        return new BigDecimal(((Number) v).toString());
    }

    @Override
    public String toString() {
        return "OutputColumns" + names + (text() ? " (text)" : " (structured)");
    }
}
