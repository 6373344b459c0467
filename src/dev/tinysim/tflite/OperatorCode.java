package dev.tinysim.tflite;

import java.util.Optional;

/**
 * An entry of the model's operator_codes table. {@code builtinCode} is already resolved from the two
 * schema fields by TFLite's rule: {@code max(builtin_code, deprecated_builtin_code)}.
 * {@code customCode} is null for builtin operators.
 */
public record OperatorCode(int builtinCode, String customCode, int version) {

    public static OperatorCode of(BuiltinOperator op) {
        return new OperatorCode(op.code(), null, 1);
    }

    public Optional<BuiltinOperator> builtin() {
        return BuiltinOperator.fromCode(builtinCode);
    }

    /** A human-readable name: the enum name, {@code CUSTOM(name)}, or {@code unknown operator code N}. */
    public String displayName() {
        if (builtinCode == BuiltinOperator.CUSTOM.code()) {
            return "CUSTOM(" + (customCode == null ? "" : customCode) + ")";
        }
        return builtin().map(Enum::name).orElse("unknown operator code " + builtinCode);
    }
}
