package dev.tinysim.compare;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What {@code tinysim quantize} did: the float model, the calibration data, every activation's calibrated range
 * and the int8 parameters made from it, how the weights were quantized, and how the int8 model agrees with the
 * float one (docs/json-reports.md).
 *
 * @param tool        tinysim's name and version
 * @param source      the float32 model
 * @param output      the int8 model written
 * @param calibration the representative data
 * @param ranges      every calibrated activation, in tensor order
 * @param weights     every operator with weights, in operator order
 * @param agreement   the int8 model against the float one (Java reference interpreter) on the validation data, or on the
 *                    calibration data when none was given
 * @param result      {kind: ok | failed, exitCode, message}
 * @param notes       anything else
 */
public record QuantizeReport(CompareReport.Tool tool, Model source, Output output, Data calibration, List<Range> ranges,
                             List<Weights> weights, Agreement agreement, CompareReport.Result result, List<String> notes) {

    /** @param precision float32 (what quantize takes) */
    public record Model(String file, long bytes, String precision, int operators, long macs) {
    }

    /**
     * @param io                        int8 (input and output tensors int8) or float32 (QUANTIZE/DEQUANTIZE added)
     * @param perChannelFullyConnected  FULLY_CONNECTED weights per output channel (else per tensor)
     * @param operators                 operators of the int8 model (with the added QUANTIZE/DEQUANTIZE)
     */
    public record Output(String file, long bytes, String io, boolean perChannelFullyConnected, int operators) {
    }

    /**
     * @param source  the file or folder
     * @param format  what was read
     * @param samples samples used
     * @param binding how the data fed the model, one line
     * @param notes   how the data was read
     */
    public record Data(String source, String format, int samples, String binding, List<String> notes) {
    }

    /**
     * @param tensor    index in the float model (the int8 model keeps the indices)
     * @param min       smallest value seen over the calibration samples
     * @param max       largest value seen
     * @param scale     the int8 tensor's scale
     * @param zeroPoint its zero point
     * @param fixed     the parameters are fixed by the operator (SOFTMAX/LOGISTIC output; pooling, reshape … share their
     *                  input's), not made from this range
     */
    public record Range(int tensor, String name, float min, float max, float scale, int zeroPoint, boolean fixed) {
    }

    /**
     * @param operator    index in the float model
     * @param type        CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED
     * @param tensor      the weights tensor
     * @param granularity per-channel or per-tensor
     * @param scales      number of scales (channels, or 1)
     */
    public record Weights(int operator, String type, int tensor, String granularity, int scales) {
    }

    /**
     * @param on            calibration or validation
     * @param data          the data (validation: its own binding line)
     * @param count         samples
     * @param classifier    the model ends in SOFTMAX or the data has labels
     * @param top1Matches   samples on which int8 and float32 pick the same class (classifiers)
     * @param agreement     top1Matches / count
     * @param float32       top-1 accuracy of the float model against the labels, or null
     * @param int8          top-1 accuracy of the int8 model, or null
     * @param drop          float32 − int8, or null
     */
    public record Agreement(String on, String data, int count, boolean classifier, Integer top1Matches, Double agreement,
                            Double maxAbsError, Double meanAbsError, Double rmse, Double snrDb,
                            @JsonProperty("float32") Double float32, @JsonProperty("int8") Double int8, Double drop) {
    }
}
