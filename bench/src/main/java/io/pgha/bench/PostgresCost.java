package io.pgha.bench;

/** What one scrape costs PostgreSQL (all members): statements run and their execution time. */
public record PostgresCost(double statementsPerScrape, double execMsPerScrape) {}
