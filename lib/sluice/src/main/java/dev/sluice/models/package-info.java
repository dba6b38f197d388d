/**
 * What each model takes, as data: {@link dev.sluice.models.ModelCatalog} reads one table (a
 * resource, {@code models.tsv}, with the provider's documentation cited on every row) of model
 * families and their capabilities: how a model is asked to think, the effort values it accepts and
 * its default, whether it takes sampling parameters, a forced tool choice, an assistant prefill and
 * native structured output, its output limit, and its retirement date with the replacement its
 * provider names. The clients' request mappers, the {@code sluice} tool and the test kit read the
 * same table. Immutable and safe to share between threads.
 */
@NullMarked
package dev.sluice.models;

import org.jspecify.annotations.NullMarked;
