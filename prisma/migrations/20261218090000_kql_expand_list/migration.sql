-- The elements mv-expand takes from a dynamic value, as one jsonb array: an array as it is, a property bag as its
-- entries (single-entry bags, or [key, value] pairs when bag_as_array), anything else (null included) as itself.
-- A function rather than the same CASE inline: the bag branch needs a subquery, and a correlated subquery in a query
-- keeps Postgres from running it in parallel workers (pnpm bench kql, mv-expand). Not STRICT: null expands to [null].
CREATE FUNCTION vw_kql_expand_list(v jsonb, bag_as_array boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE jsonb_typeof(v)
    WHEN 'array' THEN v
    WHEN 'object' THEN (
      SELECT jsonb_agg(CASE WHEN bag_as_array THEN jsonb_build_array(o.key, o.value) ELSE jsonb_build_object(o.key, o.value) END ORDER BY o.n)
        FROM jsonb_each(v) WITH ORDINALITY AS o(key, value, n))
    ELSE jsonb_build_array(v)
  END
$fn$;
