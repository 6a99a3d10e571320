package dev.berth.node.probe;

/**
 * What one probe run said, as the kubelet's prober results: a warning is a success worth an event, e.g. an HTTP
 * redirect to another host, which the kubelet does not follow.
 *
 * @param output what the run said: the command's output or the response's body on success, why it failed otherwise
 */
record ProbeResult(boolean success, String output, String warning) {

    static ProbeResult success(String output) {
        return new ProbeResult(true, output, null);
    }

    static ProbeResult failure(String output) {
        return new ProbeResult(false, output, null);
    }

    static ProbeResult warning(String warning) {
        return new ProbeResult(true, warning, warning);
    }
}
