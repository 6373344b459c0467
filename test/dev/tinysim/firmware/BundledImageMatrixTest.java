package dev.tinysim.firmware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.boards.Boards;
import dev.tinysim.elf.ElfSection;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every bundled image on every bundled board (the board files in boards/, so a new board file joins by itself;
 * every ELF in firmware-images/prebuilt, so a new image must be given its expectations here): each run either
 * ends as the image says it ends — exit code, the console lines it prints, the result line with its addresses in
 * the board's flash — or is refused before it starts with its one-line reason and exit code (74: the board lacks
 * an FPU or a peripheral or memory the run needs; 67: the image does not fit). What each case needs is written
 * here again, independently of the images' .tinysim.requires lines, and checked against the board files.
 * The bundled names (`tinysim run selftest`), `fit` of a firmware ELF and the inference runtime (`run --model`,
 * both builds where they apply) are in the matrix too. Runs go two at a time (the CI machine has two cores).
 */
class BundledImageMatrixTest {
    private static final Path PREBUILT = Path.of("firmware-images/prebuilt");
    private static final Path MODELS = Path.of("firmware-images/models");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "matrix");
        t.setDaemon(true);
        return t;
    });

    // ------------------------------------------------------------------ what the images need

    /** Something a run needs; {@code missing} gives the refusal's tail ("which the board does not have") or empty. */
    record Need(String what, Function<Board, Optional<String>> missing) {
    }

    static Need peripheral(String model, long base, String why) {
        return new Need(String.format("a peripheral %s at 0x%08x (%s)", model, base, why), b -> b.peripherals().stream()
                .anyMatch(p -> p.model().equals(model) && p.base() == base) ? Optional.empty() : Optional.of("which the board does not have"));
    }

    static Need ramAlias(String why) {
        return new Need("memory at 0x00800000 that shows the memory at 0x20000000 (" + why + ")", b -> b.memory().stream()
                .anyMatch(r -> r.kind() == MemoryRegion.Kind.ALIAS && r.base() == 0x00800000L
                        && b.region(r.aliasOf()).map(t -> t.base() == 0x20000000L).orElse(false))
                ? Optional.empty() : Optional.of("which the board does not have"));
    }

    static Need flashAt(long address, String why) {
        return new Need(String.format("flash at 0x%08x (%s)", address, why), b -> b.flash().contains(address) ? Optional.empty()
                : Optional.of(String.format("where the board has none (its flash is 0x%08x..0x%08x)", b.flash().base(), b.flash().end())));
    }

    static Need unmapped(long address, String why) {
        return new Need(String.format("nothing mapped at 0x%08x (%s)", address, why), b -> {
            for (MemoryRegion r : b.memory()) {
                if (r.contains(address)) {
                    return Optional.of("where the board has " + r.name());
                }
            }
            for (PeripheralSpec p : b.peripherals()) {
                if (address >= p.base() && address < p.base() + p.size()) {
                    return Optional.of("where the board has " + p.name());
                }
            }
            return Optional.empty();
        });
    }

    static Need interrupts(int n, String why) {
        return new Need("at least " + n + " interrupts (" + why + ")", b -> b.cpu().interrupts() >= n ? Optional.empty()
                : Optional.of("but the board has " + b.cpu().interrupts()));
    }

    private static final Need CLOCK = peripheral("nrf52.clock", 0x40000000L, "the HFCLK start-up handshake");
    private static final Need UARTE = peripheral("nrf52.uarte", 0x40002000L, "the UART0 and UARTE0 console lines");
    private static final Need TIMER0 = peripheral("nrf52.timer", 0x40008000L, "the TIMER0 compare interrupt it waits for");

    /**
     * One invocation of an image and how it must end when the board has what it needs.
     *
     * @param args    firmware arguments (after --)
     * @param needs   in the order the image declares them (the refusal names the first one missing)
     * @param exit    the exit code
     * @param lines   console lines it must print (regular expressions, each matching a whole line), in order
     * @param result  the report's result line (a regular expression; @ is an address that must lie in the board's flash)
     */
    record Case(List<String> args, List<Need> needs, int exit, List<String> lines, String result, String stdin, long maxInstructions) {
        static Case of(String arg, int exit, String result, String... lines) {
            return new Case(arg == null ? List.of() : List.of(arg), List.of(), exit, List.of(lines), result, "", 50_000_000L);
        }

        Case needs(Need... n) {
            return new Case(args, List.of(n), exit, lines, result, stdin, maxInstructions);
        }

        Case stdin(String text) {
            return new Case(args, needs, exit, lines, result, text, maxInstructions);
        }

        Case limit(long instructions) {
            return new Case(args, needs, exit, lines, result, stdin, instructions);
        }
    }

    private static final String HANDLER = " to @ \\(HardFault_Handler\\+0x18\\), which spins";
    private static final String EXITED = "exited with status ";

    private static final List<String> SELFTEST_CHECKS = List.of(
            "  ok    CPUID is Cortex-M4 r0p1 \\(0x410fc241\\)",
            "  ok    SMLAD \\(3\\*5 \\+ 2\\*4 \\+ 100 = 123\\)",
            "  ok    SXTB16 \\(0x80FF7F01 -> 0xFFFF0001\\)",
            "  ok    QADD16 saturates both halves",
            "  ok    SSAT #8 \\(100000 -> 127\\)",
            "  ok    float multiply \\(1\\.5 \\* -2\\.25 = -3\\.375\\)",
            "  ok    float divide \\(1/7 = 0x3e124925\\)",
            "  ok    float accumulate \\(sum 1\\.5\\*i, i=1\\.\\.100 = 7575\\)",
            "  ok    float to int conversion \\(-3\\.375 -> -3\\)",
            "  dwt   1000-iteration loop took \\d+ cycles \\(DWT CYCCNT\\)",
            "  ok    DWT CYCCNT advances",
            "self-test passed");

    private static final List<String> PROGRAMS = List.of(
            "program crc32_bitwise cycles=\\d+ checksum=0x2477ea73",
            "program isort cycles=\\d+ checksum=0xff120923",
            "program qsort cycles=\\d+ checksum=0x97eef80b",
            "program matmul_int cycles=\\d+ checksum=0x46c134af",
            "program matmul_float cycles=\\d+ checksum=0x58dd616f",
            "program fsm cycles=\\d+ checksum=0x550d095f");

    /** The cases of each image (by its name without -m4f/-m4), for its hard-float (true) or soft-float build. */
    static List<Case> cases(String image, boolean hardFloat) {
        String cpu = "  cpu   CPUID 0x410fc241, " + (hardFloat ? "hard-float build \\(FPv4-SP\\)" : "soft-float build \\(no FPU instructions\\)");
        return switch (image) {
            case "selftest" -> List.of(Case.of(null, 0, EXITED + "0", concat(List.of(
                    "tinysim self-test: hello from UART0", "tinysim self-test: hello from UARTE0 \\(EasyDMA\\)",
                    "tinysim self-test: hello from semihosting", cpu), SELFTEST_CHECKS)).needs(CLOCK, UARTE));
            case "selftest-semihosting" -> List.of(Case.of(null, 0, EXITED + "0",
                    concat(List.of("tinysim self-test: hello from semihosting", cpu), SELFTEST_CHECKS)));
            case "bench" -> List.of(Case.of(null, 0, EXITED + "0", "bench: int8 matmul 32x64x32 x 20, checksum 0x69328d66"));
            case "faults" -> faultCases(hardFloat);
            case "irq" -> irqCases(hardFloat);
            case "timing" -> List.of(
                    Case.of(null, 0, EXITED + "0", concat(List.of("case-overhead ram cycles=4", "case ldr_dependent cycles=\\d+",
                            "case-overhead flash cycles=\\d+", "case flash_literal cycles=\\d+"), PROGRAMS))
                            .needs(ramAlias("the nRF52 code-bus alias of RAM the cases run from")),
                    Case.of("programs", 0, EXITED + "0", PROGRAMS.toArray(String[]::new)));
            // the exact counts and cycles are FlashCacheProfilingTest's
            case "icache" -> List.of(Case.of(null, 0, EXITED + "0", "fits x1: ihit \\d+ imiss \\d+ cycles \\d+",
                    "fits x11: ihit \\d+ imiss 0 cycles \\d+", "thrash x1: ihit \\d+ imiss \\d+ cycles \\d+",
                    "thrash x11: ihit \\d+ imiss \\d+ cycles \\d+", "unprofiled x11: ihit 0 imiss 0 cycles \\d+")
                    .needs(peripheral("nrf52.nvmc", 0x4001e000L, "the NVMC whose cache (ICACHECNF) and counters (IHIT, IMISS) it measures")));
            default -> fail("no expectations for the bundled image " + image + ": add its cases to " + BundledImageMatrixTest.class.getSimpleName());
        };
    }

    private static List<Case> faultCases(boolean hardFloat) {
        String at = " at @ \\(main\\+0x[0-9a-f]+\\)";
        List<Case> c = new ArrayList<>(List.of(
                Case.of("read-unmapped", 80, "read from unmapped address 0x30000000" + at + ": ldr r\\d+, \\[r\\d+\\]; delivered as HardFault "
                        + "\\(escalated from BusFault\\)" + HANDLER).needs(unmapped(0x30000000L, "the read that must fault there")),
                Case.of("write-unmapped", 81, "write to unmapped address 0x30000004" + at + ": str r\\d+, \\[r\\d+, #4\\]; delivered as "
                        + "HardFault \\(escalated from BusFault\\)" + HANDLER).needs(unmapped(0x30000004L, "the write that must fault there")),
                Case.of("fetch-unmapped", 82, "instruction fetch from 0x30000000, which is unmapped or not executable; delivered as "
                        + "HardFault \\(escalated from BusFault\\)" + HANDLER).needs(unmapped(0x30000000L, "the call that must fault there")),
                Case.of("invalid-instruction", 83, "undefined instruction" + at + ": udf #0x42; delivered as HardFault "
                        + "\\(escalated from UsageFault\\)" + HANDLER),
                Case.of("invalid-state", 84, "invalid state: branch to @, an address with bit 0 clear \\(ARM state\\), from near @ "
                        + "\\(add3\\); delivered as HardFault \\(escalated from UsageFault\\)" + HANDLER),
                Case.of("div0", 84, "divide by zero \\(CCR\\.DIV_0_TRP set\\)" + at + ": udiv r\\d+, r\\d+, r\\d+; delivered as "
                        + "HardFault \\(escalated from UsageFault\\)" + HANDLER),
                Case.of("stack-overflow", 85, "stack overflow: write to BELOW_RAM below the bottom of RAM at @ \\(deep\\+0x[0-9a-f]+\\): .+"),
                Case.of("runaway", 86, "instruction limit reached: the firmware ran 200,000 instructions without exiting; stopped at @ "
                        + "\\(main\\+0x[0-9a-f]+\\) \\(raise --max-instructions if this is expected\\)").limit(200_000),
                Case.of("spin", 89, "hang: the firmware spins forever in Thread mode \\(a branch to itself\\)" + at),
                Case.of("wfi", 89, "hang: WFI/WFE with no interrupt source that could wake the core" + at),
                Case.of("bkpt", 87, "breakpoint: BKPT 0x01" + at + " \\(not the semihosting BKPT 0xab\\)"),
                Case.of("abnormal-exit", 90, "exited through semihosting with reason RunTimeErrorUnknown \\(0x20023\\), status 1"),
                Case.of("reset", 91, "firmware requested a system reset \\(AIRCR\\.SYSRESETREQ\\)" + at),
                Case.of("exit-status", 42, EXITED + "42"),
                Case.of("svc", 0, EXITED + "0", "svc handler calls: 0x00000002"),
                Case.of("semihosting", 7, EXITED + "7", "W", "features: 0x00000103", "stack base: RAM_END", "tickfreq: 0x[0-9a-f]{8}",
                        "elapsed>0: 0x00000001", "stdin: hello", "not read: 0x00000000").stdin("hello"),
                Case.of("handled-read-unmapped", 3, EXITED + "3", "HardFault handler: fault delivered", "  CFSR  0x00008200",
                        "  HFSR  0x40000000", "  BFAR  0x30000000", "  stacked PC @", "  stacked LR @")
                        .needs(unmapped(0x30000000L, "the read that must fault there")),
                Case.of("flash-write", 81, "write to flash at 0x000f0000" + at + ": str r\\d+, \\[r\\d+\\] without NVMC CONFIG\\.WEN enabling "
                        + "writes; delivered as HardFault \\(escalated from BusFault\\)" + HANDLER, "before: 0xffffffff",
                        "after:  0x12345678", "erased: 0xffffffff").needs(
                        peripheral("nrf52.nvmc", 0x4001e000L, "the NVMC that writes and erases flash"),
                        flashAt(0x000f0000L, "the erased flash page it writes")),
                Case.of("unmodelled", 0, EXITED + "0").needs(peripheral("unmodelled", 0x40001000L,
                        "the nRF52 RADIO registers it touches, which tinysim does not model")),
                Case.of("ram-code", 0, EXITED + "0", "from RAM: 0x00000004", "from the code-bus alias: 0x00000005")
                        .needs(ramAlias("the nRF52 code-bus alias of RAM it runs code from")),
                Case.of(null, 2, EXITED + "2", "unknown case")));
        c.add(hardFloat
                ? Case.of("nocp", 88, "firmware executed vmov" + at + " before enabling the FPU \\(CPACR grants no CP10/CP11 access\\): "
                + "NOCP UsageFault; delivered as HardFault \\(escalated from UsageFault\\)" + HANDLER)
                : Case.of("nocp", 1, EXITED + "1", "the fault did not happen"));
        return c;
    }

    private static List<Case> irqCases(boolean hardFloat) {
        return List.of(
                Case.of("systick", 0, EXITED + "0", "systick period: 64000", "systick period: 64000", "systick period: 64000",
                        "systick period: 64000", "systick period: 64000",
                        "  ok    SysTick period is 64000 cycles \\(1 ms at 64 MHz\\) between handler entries"),
                Case.of("timer", 0, EXITED + "0", "timer period: 4000", "timer period: 4000", "timer period: 4000", "timer period: 4000",
                        "  ok    TIMER0 compare interrupts every 4000 cycles \\(1000 ticks at 16 MHz\\)").needs(TIMER0),
                Case.of("rtc", 0, EXITED + "0", "rtc wake after cycles: \\d+", "rtc counter: \\d+",
                        "  ok    RTC0 compare at 32 ticks wakes the core about 62500 cycles later").needs(
                        peripheral("nrf52.clock", 0x40000000L, "the LFCLK that runs the RTC"),
                        peripheral("nrf52.rtc", 0x4000b000L, "the RTC0 compare interrupt it waits for")),
                Case.of("pendsv", 0, EXITED + "0", "  ok    PendSV ran before the instruction after the ICSR write completed"),
                Case.of("tailchain", 0, EXITED + "0", "first: 14", "second: 15",
                        "  ok    both ran, PendSV \\(14\\) before SysTick \\(15\\) at equal priority"),
                Case.of("preempt", 0, EXITED + "0", "order: 20", "order: 21", "order: 120",
                        "  ok    SWI1 \\(high priority\\) preempted SWI0 \\(low\\) in the middle of its handler")
                        .needs(interrupts(22, "the software-triggered IRQs 20 and 21")),
                Case.of("basepri", 0, EXITED + "0", "ran while masked: 0",
                        "  ok    BASEPRI 0x80 held back a priority 0xA0 interrupt until lowered")
                        .needs(interrupts(22, "the software-triggered IRQs 20 and 21")),
                Case.of("psp", 0, EXITED + "0", "thread on PSP: 1", "handler on MSP: 1", "handler CONTROL.SPSEL: 0", "back on PSP: 1",
                        "  ok    Thread mode on PSP, handler on MSP, back to PSP after the return"),
                hardFloat
                        ? Case.of("fpcontext", 0, EXITED + "0", "  ok    s0, s1, s15 survive an interrupt handler that uses them \\(extended frame\\)")
                        .needs(peripheral("nrf52.timer", 0x40009000L, "the TIMER1 interrupt that clobbers FP registers"))
                        : Case.of("fpcontext", 0, EXITED + "0", "  ok    soft-float build: no FP context to save"),
                Case.of("wfi", 0, EXITED + "0", "slept cycles: \\d+", "  ok    WFI sleeps until the 1 ms timer compare \\(64000 cycles later\\)")
                        .needs(TIMER0),
                Case.of("latency", 0, EXITED + "0", "entry: \\d+", "return: \\d+", "  ok    PendSV entered and returned",
                        "tail-chain: \\d+", "  ok    SysTick tail-chained after PendSV"),
                Case.of("wfe", 0, EXITED + "0", "slept cycles: \\d+",
                        "  ok    WFE waits for the 0\\.5 ms timer interrupt \\(32000 cycles later\\)").needs(TIMER0),
                Case.of(null, 100, EXITED + "100", "unknown case"));
    }

    // ------------------------------------------------------------------ the matrix

    record BoardUnderTest(Path file, Board board) {
        String name() {
            return board.name();
        }
    }

    /** Every board file in boards/ (a JSON Schema, schema.json or *.schema.json, is not a board). */
    static List<BoardUnderTest> boards() throws Exception {
        List<BoardUnderTest> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("boards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().endsWith("schema.json"))
                    .sorted().toList()) {
                out.add(new BoardUnderTest(f, Boards.load(f.toString(), false)));
            }
        }
        assertTrue(out.size() >= 6, "the bundled boards: " + out);
        return out;
    }

    /** Prebuilt image files by image name: selftest -> [selftest-m4.elf, selftest-m4f.elf]. */
    static Map<String, List<String>> images() throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(PREBUILT)) {
            for (Path f : files.map(Path::getFileName).sorted().toList()) {
                String name = f.toString();
                Matcher m = Pattern.compile("(.+)-(m4f|m4)\\.elf").matcher(name);
                assertTrue(m.matches(), "prebuilt/" + name + " is not NAME-m4f.elf or NAME-m4.elf");
                out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(name);
            }
        }
        return out;
    }

    private record Cell(String name, Future<Cli.Result> run, Consumer<Cli.Result> check) {
    }

    @TestFactory
    Stream<DynamicTest> everyBundledImageOnEveryBundledBoard() throws Exception {
        List<Cell> cells = new ArrayList<>();
        Map<String, List<String>> images = images();
        for (BoardUnderTest b : boards()) {
            for (var image : images.entrySet()) {
                if (image.getKey().equals("runtime")) {
                    runtimeCells(b, cells);
                    continue;
                }
                for (String file : image.getValue()) {
                    fileCells(b, image.getKey(), file, cells);
                }
            }
            bundledNameCells(b, cells);
            String v = b.board().cpu().fpu() ? "-m4f.elf" : "-m4.elf";
            fitCell(b, "bench" + v, PREBUILT.resolve("bench" + v).toString(), cells);
        }
        return cells.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> c.check().accept(await(c.run()))));
    }

    private static void fileCells(BoardUnderTest b, String image, String file, List<Cell> cells) throws Exception {
        boolean hardFloat = file.endsWith("-m4f.elf");
        String path = PREBUILT.resolve(file).toString();
        if (hardFloat && !b.board().cpu().fpu()) {
            cells.add(new Cell(b.name() + ": " + file, submit("", List.of("run", path, "--board", b.file().toString())),
                    refused(74, file + " cannot run on board " + b.name() + ": it is a hard-float build (FPv4-SP instructions, "
                            + "floats in FPU registers) and the board has no FPU")));
            return;
        }
        for (Case c : cases(image, hardFloat)) {
            cells.add(cell(b, file, path, c));
        }
    }

    private static Cell cell(BoardUnderTest b, String file, String firmware, Case c) throws Exception {
        List<String> command = new ArrayList<>(List.of("run", firmware, "--board", b.file().toString(),
                "--max-instructions", Long.toString(c.maxInstructions())));
        if (!c.args().isEmpty()) {
            command.add("--");
            command.addAll(c.args());
        }
        String name = b.name() + ": " + firmware + (c.args().isEmpty() ? "" : " -- " + c.args().get(0));
        Future<Cli.Result> run = submit(c.stdin(), command);
        String who = file + (c.args().isEmpty() ? "" : " -- " + c.args().get(0)) + " cannot run on board " + b.name() + ": it needs ";
        for (Need n : c.needs()) {
            Optional<String> missing = n.missing().apply(b.board());
            if (missing.isPresent()) {
                return new Cell(name, run, refused(74, who + n.what() + ", " + missing.get()));
            }
        }
        Optional<String> tooBig = doesNotFit(file, b.board());
        if (tooBig.isPresent()) {
            return new Cell(name, run, refused(67, tooBig.get()));
        }
        Optional<String> reserved = inReservedMemory(file, b.board());
        if (reserved.isPresent()) {
            return new Cell(name, run, refused(67, reserved.get()));
        }
        return new Cell(name, run, r -> checkRun(r, b.board(), file, c));
    }

    /** The bundled names as users type them: the build chosen for the board's FPU and peripherals. */
    private static void bundledNameCells(BoardUnderTest b, List<Cell> cells) throws Exception {
        String v = b.board().cpu().fpu() ? "-m4f.elf" : "-m4.elf";
        boolean nrf52 = CLOCK.missing().apply(b.board()).isEmpty() && UARTE.missing().apply(b.board()).isEmpty();
        String selftest = (nrf52 ? "selftest" : "selftest-semihosting") + v;
        cells.add(cell(b, selftest, "selftest", cases(nrf52 ? "selftest" : "selftest-semihosting", b.board().cpu().fpu()).get(0)));
        cells.add(cell(b, "bench" + v, "bench", cases("bench", b.board().cpu().fpu()).get(0)));
        cells.add(cell(b, "faults" + v, "faults", pick(cases("faults", b.board().cpu().fpu()), "exit-status")));
        cells.add(cell(b, "irq" + v, "irq", pick(cases("irq", b.board().cpu().fpu()), "systick")));
        cells.add(cell(b, "timing" + v, "timing", pick(cases("timing", b.board().cpu().fpu()), "programs")));
        cells.add(cell(b, "icache" + v, "icache", cases("icache", b.board().cpu().fpu()).get(0)));
        fitCell(b, selftest, "selftest", cells);
    }

    /** `fit` of a firmware ELF judges it against the board's flash and RAM, the image's own bytes wherever it is placed. */
    private static void fitCell(BoardUnderTest b, String file, String firmware, List<Cell> cells) throws Exception {
        FirmwareImage linked = FirmwareImage.read(PREBUILT.resolve(file));
        FirmwareImage.MemoryUse use = linked.memoryUse(nrf52840());
        Board board = b.board();
        Optional<String> reserved = inReservedMemory(file, board);
        if (reserved.isPresent()) {
            cells.add(new Cell(b.name() + ": fit " + firmware, submit("", List.of("fit", firmware, "--board",
                    b.file().toString(), "--format", "json")), r -> {
                assertEquals(67, r.exitCode(), r.out() + r.err());
                assertEquals("tinysim: " + reserved.get() + "\n", r.err());
            }));
            return;
        }
        cells.add(new Cell(b.name() + ": fit " + firmware, submit("", List.of("fit", firmware, "--board",
                b.file().toString(), "--format", "json")), r -> {
            assertEquals(0, r.exitCode(), r.out() + r.err());
            JsonNode c = json(r.out()).at("/configurations/0");
            assertEquals(board.name(), c.at("/board").asText());
            assertEquals(file, c.at("/runtime").asText());
            assertEquals(board.flash().size(), c.at("/flash/capacity").asLong());
            assertEquals(board.reservedFlash(), c.at("/flash/reserved").asLong());
            assertEquals(use.flash(), c.at("/flash/used").asLong(), "the image's flash bytes, wherever it is placed");
            assertEquals(board.ram().size(), c.at("/ram/capacity").asLong());
            assertEquals(use.staticRam(), c.at("/ram/staticBytes").asLong());
            assertEquals(board.flash().size() - board.reservedFlash() - use.flash(), c.at("/flash/free").asLong());
            assertTrue(c.at("/fits").asBoolean());
        }));
    }

    /** The inference runtime on the board: int8 and float32 demo models, with the board's build and, with an FPU, --no-fpu. */
    private static void runtimeCells(BoardUnderTest b, List<Cell> cells) throws Exception {
        for (String model : List.of("demo_int8.tflite", "demo_f32.tflite")) {
            byte[] bytes = Files.readAllBytes(MODELS.resolve(model));
            String expected = HexFormat.of().formatHex(reference(bytes, model));
            List<Boolean> fpus = b.board().cpu().fpu() ? List.of(true, false) : List.of(false);
            for (boolean fpu : fpus) {
                List<String> command = new ArrayList<>(List.of("run", "--model", MODELS.resolve(model).toString(), "--board",
                        b.file().toString(), "--format", "json"));
                if (!fpu && b.board().cpu().fpu()) {
                    command.add("--no-fpu");
                }
                Board board = b.board();
                String image = fpu ? "runtime-m4f.elf" : "runtime-m4.elf";
                cells.add(new Cell(b.name() + ": run --model " + model + " on " + image, submit("", command), r -> {
                    assertEquals(0, r.exitCode(), r.out() + r.err());
                    JsonNode j = json(r.out());
                    assertEquals("ok", j.at("/result/kind").asText());
                    assertEquals("exited with status 0", j.at("/result/firmwareEnd").asText());
                    assertEquals(image, j.at("/runtime/image").asText());
                    assertEquals(expected, j.at("/output/hex").asText(), "the output tensor is the reference interpreter's, bit for bit");
                    assertEquals(board.flash().size(), j.at("/fit/flash/capacity").asLong());
                    assertEquals(board.ram().size(), j.at("/fit/ram/capacity").asLong());
                    assertTrue(j.at("/fit/fits").asBoolean());
                }));
            }
        }
    }

    // ------------------------------------------------------------------ checks

    private static void checkRun(Cli.Result r, Board board, String file, Case c) {
        String what = file + " " + c.args() + " on " + board.name() + ":\n" + r.out() + r.err();
        assertEquals(c.exit(), r.exitCode(), what);
        String header = "tinysim: " + file + " on " + board.name() + " (Cortex-M4" + (board.cpu().fpu() ? "F" : "") + ", ";
        String[] out = r.out().split("\n", -1);
        int summary = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i].startsWith(header)) {
                summary = i;
            }
        }
        assertTrue(summary >= 0, "no summary line \"" + header + "…\": " + what);
        // the console: the expected lines, in order
        int at = 0;
        for (String expected : c.lines()) {
            Pattern p = Pattern.compile(expand(expected, board));
            while (at < summary && !matchesWithFlashAddresses(p, out[at], board)) {
                at++;
            }
            assertTrue(at < summary, "console line /" + expected + "/ missing (in order): " + what);
            at++;
        }
        assertFalse(r.out().contains("  FAIL  "), what);
        // the summary: placement, result, fit against this board's memory
        MemoryRegion flash = board.flash(), ram = board.ram();
        boolean linkedHere = flash.base() == 0 && flash.size() == 1 << 20 && ram.base() == 0x20000000L && ram.size() == 256 << 10;
        int line = summary + 1;
        if (!linkedHere) {
            assertEquals(String.format("  placed     linked for flash 0x00000000 (1024 KB) and RAM 0x20000000 (256 KB); moved to flash "
                            + "0x%08x (%d KB) and RAM 0x%08x (%d KB), the stack at its top", flash.base(), flash.size() >> 10, ram.base(),
                    ram.size() >> 10), out[line++], what);
        }
        assertTrue(out[line].startsWith("  result     "), what);
        String result = out[line].substring("  result     ".length());
        assertTrue(matchesWithFlashAddresses(Pattern.compile(expand(c.result(), board)), result, board),
                "result line\n  " + result + "\ndoes not match\n  " + c.result() + "\n" + what);
        String flashLine = out[line + 2], ramLine = out[line + 3];
        assertTrue(flashLine.matches("  flash      [0-9,]+ of " + n(flash.size() - board.reservedFlash()) + " bytes used .*"), flashLine);
        assertTrue(ramLine.matches("  RAM        [0-9,]+ of " + n(ram.size() - board.reservedRam()) + " bytes static .*"), ramLine);
    }

    /** RAM_END: the board's end of RAM (the stack top); BELOW_RAM: an address below its RAM. */
    private static String expand(String regex, Board board) {
        return regex.replace("RAM_END", String.format("0x%08x", board.ram().end()))
                .replace("BELOW_RAM", "(?<below>0x[0-9a-f]{8})");
    }

    /** A whole-line match where every @ is an address in the board's flash (the image was placed there). */
    private static boolean matchesWithFlashAddresses(Pattern p, String line, Board board) {
        Pattern withAddresses = Pattern.compile(p.pattern().replace("@", "(0x[0-9a-f]{8})"));
        Matcher m = withAddresses.matcher(line);
        if (!m.matches()) {
            return false;
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            String v = m.group(g);
            if (v == null || !v.startsWith("0x")) {
                continue;
            }
            long a = Long.parseLong(v.substring(2), 16);
            boolean below = p.pattern().contains("?<below>") && v.equals(m.group("below"));
            assertTrue(below ? a < board.ram().base() : board.flash().contains(a & ~1L),
                    String.format("%s in \"%s\" is not %s of board %s", v, line, below ? "below the RAM" : "in the flash", board.name()));
        }
        return true;
    }

    private static Consumer<Cli.Result> refused(int code, String message) {
        return r -> {
            assertEquals("tinysim: " + message + "\n", r.err(), r.out());
            assertEquals("", r.out());
            assertEquals(code, r.exitCode());
        };
    }

    /** The bundled images are linked at the start of flash and RAM: on a board that reserves either, they do not fit. */
    private static Optional<String> inReservedMemory(String file, Board board) throws Exception {
        FirmwareImage image = FirmwareImage.read(PREBUILT.resolve(file));
        for (var seg : image.segments()) {
            if (board.reservedFlash() > 0 && seg.loadAddress() < board.flash().base() + board.reservedFlash() && seg.bytes().length > 0) {
                return Optional.of(String.format(Locale.ROOT, "%s: segment %d (%,d bytes at 0x%08x) lies in the flash board %s reserves "
                                + "for other software (0x%08x-0x%08x); link the firmware from 0x%08x", file, seg.index(), seg.bytes().length,
                        seg.loadAddress(), board.name(), board.flash().base(), board.flash().base() + board.reservedFlash() - 1,
                        board.flash().base() + board.reservedFlash()));
            }
        }
        return Optional.empty();
    }

    /** The image does not fit the board: its flash bytes, or its static RAM and stack, exceed the board's. */
    private static Optional<String> doesNotFit(String file, Board board) throws Exception {
        FirmwareImage image = FirmwareImage.read(PREBUILT.resolve(file));
        long stackLimit = image.symbolAddress("__StackLimit").orElseThrow();
        long stack = image.symbolAddress("__StackTop").orElseThrow() - stackLimit;
        long flashBytes = image.memoryUse(nrf52840()).flash();
        long staticEnd = 0x20000000L;
        for (ElfSection s : image.elf().sections()) {
            if (s.allocated() && s.address() >= 0x20000000L && s.address() < stackLimit) {
                staticEnd = Math.max(staticEnd, s.address() + s.size());
            }
        }
        long staticBytes = staticEnd - 0x20000000L;
        if (flashBytes > board.flash().size()) {
            return Optional.of(String.format(Locale.ROOT, "%s: its %,d bytes of flash do not fit the %,d bytes of board %s",
                    file, flashBytes, board.flash().size(), board.name()));
        }
        if (staticBytes + stack > board.ram().size()) {
            return Optional.of(String.format(Locale.ROOT, "%s: its %,d bytes of static RAM and its %,d-byte stack do not fit the %,d bytes "
                    + "of RAM of board %s", file, staticBytes, stack, board.ram().size(), board.name()));
        }
        return Optional.empty();
    }

    private static Case pick(List<Case> cases, String arg) {
        return cases.stream().filter(c -> c.args().equals(List.of(arg))).findFirst().orElseThrow();
    }

    private static byte[] reference(byte[] model, String name) throws Exception {
        TfliteModel m = TfliteReader.read(model, name);
        byte[] input = InputGenerator.random(m.mainSubgraph().inputTensor(0), 1);
        return ReferenceInterpreter.prepare(m).invoke(List.of(input)).get(0);
    }

    private static Board nrf52840() {
        try {
            return Boards.load("nrf52840", false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Future<Cli.Result> submit(String stdin, List<String> command) {
        return POOL.submit(() -> Cli.runWithInput(stdin, command.toArray(String[]::new)));
    }

    private static Cli.Result await(Future<Cli.Result> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    @SafeVarargs
    private static String[] concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all.toArray(String[]::new);
    }
}
