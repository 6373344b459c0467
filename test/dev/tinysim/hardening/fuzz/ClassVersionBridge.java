package dev.tinysim.hardening.fuzz;

import com.code_intelligence.jazzer.third_party.net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets Jazzer 0.24 instrument tinysim's Java 25 classes. Jazzer's agent reads classes with a bundled ASM that
 * stops at class-file version 67 (Java 23): on a version-69 class it prints "Unsupported class file major version
 * 69" and leaves the class uninstrumented, so the fuzzer would get no coverage from tinysim at all. This
 * transformer runs before Jazzer's (it is added to the same {@link Instrumentation} first) and relabels
 * {@code dev/tinysim/} classes as version 67. That is sound for tinysim's classes: Java 24 and 25 added no
 * class-file feature they use (no preview features), so the bytes are valid version-67 class files.
 *
 * <p>Registered on every fuzz test class ({@code @ExtendWith}); when fuzzing ({@code JAZZER_FUZZ} set) it runs
 * before Jazzer installs its agent (when the fuzz test's arguments are first asked for), once per JVM.
 */
public final class ClassVersionBridge implements BeforeAllCallback, ClassFileTransformer {
    /** The newest class-file major version Jazzer 0.24's ASM reads (Java 23). */
    static final int NEWEST_READABLE = 67;

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    @Override
    public void beforeAll(ExtensionContext context) {
        String fuzz = System.getenv("JAZZER_FUZZ");
        // only when fuzzing: the regression run has no coverage instrumentation (and no agent hooks: pom.xml)
        if (fuzz != null && !fuzz.isEmpty() && INSTALLED.compareAndSet(false, true)) {
            Instrumentation instrumentation = ByteBuddyAgent.install();
            instrumentation.addTransformer(new ClassVersionBridge(), true);
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (className == null || !className.startsWith("dev/tinysim/") || classFile.length < 8) {
            return null;
        }
        int major = (classFile[6] & 0xFF) << 8 | classFile[7] & 0xFF;
        if (major <= NEWEST_READABLE) {
            return null;
        }
        byte[] relabelled = classFile.clone();
        relabelled[6] = (byte) (NEWEST_READABLE >>> 8);
        relabelled[7] = (byte) NEWEST_READABLE;
        return relabelled;
    }
}
