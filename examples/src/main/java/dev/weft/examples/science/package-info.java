/**
 * Weft's own examples: small, complete computations as scientists run them, each deterministic and done
 * in about a second.
 */
package dev.weft.examples.science;
