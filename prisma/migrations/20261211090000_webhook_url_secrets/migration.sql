-- Webhook URLs count as receiver secrets from now on, since they often carry their own credential (?code=, ?sig=,
-- a token in the path). The application seals the plain URLs still stored in action_group (it holds the key, SQL
-- does not) and reads them meanwhile as secrets. Here: audit snapshots of action groups keep only the scheme and host
-- of a webhook URL, and every stored hint of a URL secret loses the last characters of the URL it used to show.

CREATE FUNCTION vw_scrub_receiver(r jsonb, drop_plain_urls boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN jsonb_typeof(r) IS DISTINCT FROM 'object' THEN r ELSE
    coalesce(
      (SELECT jsonb_object_agg(k, CASE
                WHEN k IN ('webhookUrlHint', 'workflowUrlHint', 'urlHint') AND jsonb_typeof(v) = 'string'
                  THEN to_jsonb(regexp_replace(v #>> '{}', '^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]+)/.*$', '\1/…'))
                ELSE v END)
         FROM jsonb_each(r) AS kv(k, v)),
      '{}'::jsonb)
    || CASE WHEN drop_plain_urls AND r->>'type' = 'webhook' AND jsonb_typeof(r->'url') = 'string'
         THEN jsonb_build_object('url', NULL, 'urlHint', coalesce(substring(r->>'url' from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'), '') || '/…')
         ELSE '{}'::jsonb END
  END
$fn$;

CREATE FUNCTION vw_scrub_receivers(receivers jsonb, drop_plain_urls boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN jsonb_typeof(receivers) IS DISTINCT FROM 'array' THEN receivers ELSE
    coalesce((SELECT jsonb_agg(vw_scrub_receiver(e.r, drop_plain_urls) ORDER BY e.i)
                FROM jsonb_array_elements(receivers) WITH ORDINALITY AS e(r, i)), '[]'::jsonb)
  END
$fn$;

UPDATE audit_log
   SET "before" = CASE WHEN jsonb_typeof("before"->'receivers') = 'array'
                       THEN jsonb_set("before", '{receivers}', vw_scrub_receivers("before"->'receivers', true)) ELSE "before" END,
       "after" = CASE WHEN jsonb_typeof("after"->'receivers') = 'array'
                      THEN jsonb_set("after", '{receivers}', vw_scrub_receivers("after"->'receivers', true)) ELSE "after" END
 WHERE "targetType" = 'actionGroup';

UPDATE action_group SET receivers = vw_scrub_receivers(receivers, false) WHERE jsonb_typeof(receivers) = 'array';

DROP FUNCTION vw_scrub_receivers(jsonb, boolean);
DROP FUNCTION vw_scrub_receiver(jsonb, boolean);
