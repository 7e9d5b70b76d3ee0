/**
 * Fault drills with verdicts: the scenarios ({@link io.pgha.drills.Drill} and one class per drill),
 * the runner, the observer and its pollers, the pure analysis and judgement, and the report with its
 * timeline SVGs. See the module's README.md and docs/drills.md. Imports lab, traffic and promkit.
 */
package io.pgha.drills;
