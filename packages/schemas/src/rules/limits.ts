/** The longest KQL text a rule may hold (the same cap the query engine applies). */
export const MAX_QUERY_LENGTH_CHARS = 100_000;
