package org.clinicalfunctions.local.broker;

import java.util.Map;

/** A CloudEvent written for HTTP: the headers to set and the body. */
record EncodedEvent(Map<String, String> headers, byte[] body) {
}
