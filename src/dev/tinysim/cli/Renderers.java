package dev.tinysim.cli;

import dev.tinysim.compare.ReportRenderer;

import java.util.Optional;

/** The document renderers the command line injects into compare, fit and demo (compare knows only the interface). */
public final class Renderers {
    private Renderers() {
    }

    /** The HTML renderer; its page records the running command's line ({@link Invocation}). */
    public static Optional<ReportRenderer> html() {
        return Optional.of(new dev.tinysim.html.HtmlReport(Invocation.args()));
    }
}
