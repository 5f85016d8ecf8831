package org.clinicalfunctions.store;

import java.util.List;

/**
 * One searchset's worth of results.
 *
 * @param total every current resource that matches
 * @param matches the ones returned, at most {@code _count}; none for {@code _summary=count}
 */
public record SearchPage(long total, List<StoredResource> matches) {
}
