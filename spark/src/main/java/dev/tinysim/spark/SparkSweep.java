package dev.tinysim.spark;

import dev.tinysim.cli.CliException;
import dev.tinysim.cli.ExitCode;
import dev.tinysim.cli.ReportWriter;
import dev.tinysim.cli.SweepCommand;
import dev.tinysim.sweep.Sweep;
import dev.tinysim.sweep.SweepCsv;
import dev.tinysim.sweep.SweepReport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tinysim sweep} as an Apache Spark job: the same arguments ({@code MODEL|DIR… --boards … --configs … -o FILE}),
 * the same rows.
 *
 * <p>The driver reads the models (any Hadoop file system path: local, {@code hdfs://}, {@code s3a://} with the user's
 * own set-up), plans the sweep with tinysim's own code ({@link Sweep#plan}) and makes a Dataset of its configurations,
 * one partition (one task) per model × board × configuration, the costliest first (so the long runs start first and
 * the short ones fill in). Each task reads its model through Hadoop's FileSystem and runs {@link Sweep#run} on that
 * one configuration, in-process, on one thread; a configuration that fails (does not fit, unsupported operator,
 * firmware fault) is a row with its exit code, as in {@code tinysim sweep}, and a lost executor is Spark's task retry.
 * The driver then hands every row to {@link Sweep#run} as already measured (the same path as {@code tinysim sweep
 * --resume}), which orders them and computes the result exactly as on one machine, and writes CSV, JSON or Parquet.
 *
 * <p>Exit status: as {@code tinysim sweep} (0, or the first failed row's code), 64 for a bad command line.
 */
public final class SparkSweep {
    private static final String USAGE = """
            usage: SparkSweep MODEL|DIR… [--board B]… [--boards A,B,…] [--configs C,…] [--seed S] [--timing MODEL]
                              [--reserve-flash SIZE] [--reserve-ram SIZE] [--format csv|json|parquet] [-o FILE|DIR] [-q]
                              [--resume FILE]
              MODEL|DIR are Hadoop paths (local files, hdfs://…, s3a://…); --jobs is accepted and ignored (the executors'
              cores are the parallelism); parquet writes a directory (Spark's layout) and needs -o; --resume takes an
              earlier CSV (csv, parquet) or JSON (json) output's rows instead of running them again.""";

    /** What every task needs besides its own configuration. */
    record Settings(List<String> configurations, long seed, String timing, String reserveFlash, String reserveRam,
                    byte[] hadoopConf) implements Serializable {
    }

    /** The parsed command line. */
    record Args(List<String> paths, List<String> boards, List<String> configs, long seed, String timing, String reserveFlash,
                String reserveRam, String format, String output, String resume) {
    }

    private SparkSweep() {
    }

    public static void main(String[] argv) {
        int code;
        try {
            code = run(parse(argv));
        } catch (CliException e) {
            System.err.println("tinysim: " + e.getMessage());
            code = e.exitCode().code();
        }
        System.exit(code);
    }

    static Args parse(String[] argv) {
        List<String> paths = new ArrayList<>();
        List<String> boards = new ArrayList<>();
        List<String> configs = null;
        long seed = 1;
        String timing = null, reserveFlash = null, reserveRam = null, format = "csv", output = null, resume = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "-q", "--quiet", "-v", "--verbose" -> {
                }
                case "--board", "--boards", "--configs", "--seed", "--timing", "--reserve-flash", "--reserve-ram", "--format", "-o",
                     "--output", "--jobs", "--resume" -> {
                    if (value == null) {
                        if (i + 1 >= argv.length) {
                            throw new CliException(ExitCode.USAGE, "Missing required parameter for option '" + name + "'\n" + USAGE);
                        }
                        value = argv[++i];
                    }
                    switch (name) {
                        case "--board" -> boards.add(value);
                        case "--boards" -> boards.addAll(Arrays.asList(value.split(",")));
                        case "--configs" -> configs = Arrays.asList(value.split(","));
                        case "--seed" -> {
                            try {
                                seed = Long.parseLong(value);
                            } catch (NumberFormatException e) {
                                throw new CliException(ExitCode.USAGE, "--seed: '" + value + "' is not a number");
                            }
                        }
                        case "--timing" -> timing = value;
                        case "--reserve-flash" -> reserveFlash = value;
                        case "--reserve-ram" -> reserveRam = value;
                        case "--format" -> format = value;
                        case "--jobs" -> {
                        }
                        case "--resume" -> resume = value;
                        default -> output = value;
                    }
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new CliException(ExitCode.USAGE, "Unknown option: '" + a + "'\n" + USAGE);
                    }
                    paths.add(a);
                }
            }
        }
        if (paths.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "Missing required parameter: 'MODEL|DIR'\n" + USAGE);
        }
        if (!List.of("csv", "json", "parquet").contains(format)) {
            throw new CliException(ExitCode.USAGE, "--format: '" + format + "' is not csv, json or parquet");
        }
        if (format.equals("parquet") && output == null) {
            throw new CliException(ExitCode.USAGE, "--format parquet needs -o DIR");
        }
        return new Args(paths, boards, configs, seed, timing, reserveFlash, reserveRam, format, output, resume);
    }

    static int run(Args a) {
        // the command line first: bad boards or configurations are usage errors before Spark starts
        List<String> configurations = SweepCommand.configurations(a.configs());
        List<Sweep.BoardChoice> boards = SweepCommand.boardChoices(a.boards(), a.reserveFlash(), a.reserveRam());
        List<String> boardNames = boards.stream().map(Sweep.BoardChoice::name).toList();

        SparkSession spark = SparkSession.builder().appName("tinysim sweep").getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            List<Sweep.ModelFile> models = readModels(a.paths(), hadoop);
            Settings settings = new Settings(configurations, a.seed(), a.timing(), a.reserveFlash(), a.reserveRam(), serialize(hadoop));
            Sweep.Request whole = new Sweep.Request(models, boards, configurations, a.seed(), a.timing(), 1, null);
            SweepReport previous = a.resume() == null ? null : readPrevious(a.resume(), a.format(), hadoop);
            Map<String, SweepReport.Row> done = new HashMap<>();
            if (previous != null) {
                for (SweepReport.Row r : previous.rows()) {
                    if (!Sweep.OTHER_SHARD.equals(r.result().kind())) {
                        done.putIfAbsent(Sweep.key(r), r);
                    }
                }
            }

            // one task per row, the costliest first
            List<Sweep.Slot> slots = new ArrayList<>(Sweep.plan(whole));
            slots.sort(Comparator.comparingDouble(Sweep.Slot::cost).reversed().thenComparingInt(Sweep.Slot::row));
            List<String> tasks = new ArrayList<>();
            SweepReport.Row[] rows = new SweepReport.Row[slots.size()];
            SweepReport[] reports = new SweepReport[slots.size()];
            for (Sweep.Slot s : slots) {
                SweepReport.Row before = done.get(s.key());
                if (before != null) {
                    rows[s.row()] = before;     // --resume: not run again
                    continue;
                }
                tasks.add(s.row() + "\t" + models.get(s.model()).path() + "\t" + boardNames.get(s.board()) + "\t"
                        + (s.configuration() == null ? "" : s.configuration()));
            }
            Broadcast<Settings> shared = jsc.broadcast(settings);
            JavaRDD<String> rdd = jsc.parallelize(tasks, Math.max(1, tasks.size()));
            Dataset<String> configurationsToRun = spark.createDataset(rdd.rdd(), Encoders.STRING());
            List<String> results = tasks.isEmpty() ? List.of() : configurationsToRun
                    .map((MapFunction<String, String>) task -> runTask(task, shared.value()), Encoders.STRING())
                    .collectAsList();

            // the rows in row order; the first measured row's tool and timing, as one machine reports them
            for (String json : results) {
                int tab = json.indexOf('\t');
                int row = Integer.parseInt(json.substring(0, tab));
                SweepReport r = SweepCommand.readReport(json.substring(tab + 1));
                if (r.rows().size() != 1) {
                    throw new CliException(ExitCode.INTERNAL, "task of row " + row + " gave " + r.rows().size() + " rows");
                }
                rows[row] = r.rows().get(0);
                reports[row] = r;
            }
            SweepReport first = Arrays.stream(reports).filter(r -> r != null && r.tool() != null && r.tool().engine() != null)
                    .findFirst().orElse(previous);
            SweepReport measured = new SweepReport(first == null ? null : first.tool(), first == null ? null : first.timing(), null,
                    0, List.of(), List.of(), List.of(), List.of(rows), null, List.of());
            SweepReport report = Sweep.run(new Sweep.Request(models, boards, configurations, a.seed(), a.timing(),
                    spark.sparkContext().defaultParallelism(), null, Sweep.Shard.WHOLE, measured, null));
            int resumed = slots.size() - tasks.size();
            if (resumed > 0) {
                List<String> notes = new ArrayList<>(report.notes());
                notes.add(resumed + " row" + (resumed == 1 ? "" : "s") + " taken from --resume " + a.resume() + ", not measured again");
                report = new SweepReport(report.tool(), report.timing(), report.input(), report.jobs(), report.configurations(),
                        report.models(), report.boards(), report.rows(), report.result(), List.copyOf(notes));
            }

            switch (a.format()) {
                case "json" -> write(ReportWriter.json(report), a.output(), hadoop);
                case "csv" -> write(SweepCsv.render(report), a.output(), hadoop);
                default -> writeParquet(spark, SweepCsv.render(report), a.output());
            }
            if (report.result().exitCode() != 0) {
                System.err.println("tinysim: " + report.result().message());
            }
            return report.result().exitCode();
        } catch (IOException e) {
            throw new CliException(ExitCode.NO_INPUT, e.getMessage());
        } finally {
            spark.stop();
        }
    }

    /** An earlier output ({@code --resume}): JSON for JSON output, CSV otherwise. */
    private static SweepReport readPrevious(String file, String format, Configuration conf) throws IOException {
        Path p = new Path(file);
        String text;
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            throw new CliException(ExitCode.NO_INPUT, file + ": no such file");
        }
        boolean json = text.stripLeading().startsWith("{");
        if (json != format.equals("json")) {
            throw new CliException(ExitCode.USAGE, "--resume " + file + ": a " + (json ? "JSON" : "CSV") + " file, and this job writes "
                    + format + (json ? " (use --format json)" : " (use --format csv or parquet)"));
        }
        try {
            return json ? SweepCommand.readReport(text)
                    : new SweepReport(null, null, null, 0, List.of(), List.of(), List.of(), SweepCsv.parse(text), null, List.of());
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCode.BAD_INPUT, file + ": not a tinysim sweep output (" + e.getMessage() + ")");
        }
    }

    /** One configuration (or a model that cannot run, on one board), run in this executor's JVM. */
    static String runTask(String task, Settings settings) throws IOException {
        String[] f = task.split("\t", -1);
        Configuration conf = deserialize(settings.hadoopConf());
        Path path = new Path(f[1]);
        byte[] bytes;
        try (InputStream in = path.getFileSystem(conf).open(path)) {
            bytes = in.readAllBytes();
        }
        List<Sweep.BoardChoice> board = SweepCommand.boardChoices(List.of(f[2]), settings.reserveFlash(), settings.reserveRam());
        List<String> configurations = f[3].isEmpty() ? settings.configurations() : List.of(f[3]);
        SweepReport r = Sweep.run(new Sweep.Request(List.of(new Sweep.ModelFile(f[1], path.getName(), bytes)), board,
                configurations, settings.seed(), settings.timing(), 1, null));
        return f[0] + "\t" + ReportWriter.json(r);
    }

    /** The models as {@code tinysim sweep} finds them: files as given, directories' *.tflite files sorted, each once. */
    static List<Sweep.ModelFile> readModels(List<String> given, Configuration conf) throws IOException {
        List<Sweep.ModelFile> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String g : given) {
            Path p = new Path(g);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(p);
            } catch (FileNotFoundException e) {
                throw new CliException(ExitCode.NO_INPUT, g + ": no such file");
            }
            List<String> files = new ArrayList<>();
            if (status.isDirectory()) {
                List<String> names = new ArrayList<>();
                for (FileStatus s : fs.listStatus(p)) {
                    if (s.getPath().getName().endsWith(".tflite")) {
                        names.add(s.getPath().getName());
                    }
                }
                if (names.isEmpty()) {
                    throw new CliException(ExitCode.NO_INPUT, g + ": no .tflite files in this directory");
                }
                names.sort(Comparator.naturalOrder());
                String dir = g.endsWith("/") ? g.substring(0, g.length() - 1) : g;
                names.forEach(n -> files.add(dir + "/" + n));
            } else {
                files.add(g);
            }
            for (String file : files) {
                Path fp = new Path(file);
                FileSystem ffs = fp.getFileSystem(conf);
                if (seen.add(ffs.makeQualified(fp).toString())) {
                    try (InputStream in = ffs.open(fp)) {
                        out.add(new Sweep.ModelFile(file, fp.getName(), in.readAllBytes()));
                    }
                }
            }
        }
        return out;
    }

    private static void write(String text, String output, Configuration conf) throws IOException {
        if (output == null || !output.contains("://")) {
            ReportWriter.emit(text, output == null ? null : java.nio.file.Path.of(output), System.out);
            return;
        }
        Path p = new Path(output);
        try (FSDataOutputStream o = p.getFileSystem(conf).create(p, true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The CSV's columns as typed Parquet columns (the same cells: nulls stay null, figures as the CSV writes them). */
    private static void writeParquet(SparkSession spark, String csv, String output) {
        Map<String, DataType> types = new HashMap<>();
        for (String c : List.of("macs", "clock_hz", "cycles", "flash_runtime", "flash_model", "flash_used", "flash_available",
                "flash_free", "ram_static", "ram_arena", "ram_stack_peak", "ram_used", "ram_available", "ram_free", "instructions")) {
            types.put(c, DataTypes.LongType);
        }
        for (String c : List.of("fpu", "flash_fits", "ram_fits", "fits")) {
            types.put(c, DataTypes.BooleanType);
        }
        for (String c : List.of("milliseconds", "cycles_per_mac", "wall_seconds")) {
            types.put(c, DataTypes.DoubleType);
        }
        types.put("argmax", DataTypes.IntegerType);
        types.put("exit_code", DataTypes.IntegerType);
        List<StructField> fields = new ArrayList<>();
        for (String c : SweepCsv.COLUMNS) {
            fields.add(DataTypes.createStructField(c, types.getOrDefault(c, DataTypes.StringType), true));
        }
        List<Row> rows = new ArrayList<>();
        List<List<String>> records = SweepCsv.records(csv);
        for (List<String> r : records.subList(1, records.size())) {
            Object[] v = new Object[r.size()];
            for (int i = 0; i < v.length; i++) {
                String cell = r.get(i);
                DataType t = fields.get(i).dataType();
                v[i] = cell.isEmpty() ? null : t == DataTypes.LongType ? Long.valueOf(cell) : t == DataTypes.IntegerType
                        ? Integer.valueOf(cell) : t == DataTypes.DoubleType ? Double.valueOf(cell) : t == DataTypes.BooleanType
                        ? Boolean.valueOf(cell) : cell;
            }
            rows.add(RowFactory.create(v));
        }
        spark.createDataFrame(rows, new StructType(fields.toArray(StructField[]::new))).coalesce(1).write().mode("overwrite")
                .parquet(output);
    }

    private static byte[] serialize(Configuration conf) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            conf.write(o);
        }
        return b.toByteArray();
    }

    private static Configuration deserialize(byte[] bytes) throws IOException {
        Configuration c = new Configuration(false);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            c.readFields(in);
        }
        return c;
    }
}
