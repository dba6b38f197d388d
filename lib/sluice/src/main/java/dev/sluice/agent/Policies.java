package dev.sluice.agent;

/** The {@link ApprovalPolicy#none()} instance, which the runner recognises as needing no mailbox. */
final class Policies {
    static final ApprovalPolicy NONE = tool -> false;

    private Policies() {}
}
