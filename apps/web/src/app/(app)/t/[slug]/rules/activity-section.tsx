"use client";

/**
 * The activity rule's "where and what": its scope and condition, as a form or as the JSON the API takes, and the
 * tenant's recent events the rule would have fired on (rules.previewActivity, the evaluator's own matcher).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Braces, ListFilter } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, Textarea } from "@/components/ui/input";
import { Badge, Skeleton, Td, Th } from "@/components/ui/misc";
import type { MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { useDebounced } from "@/lib/use-debounced";
import { errorMessage, relativeTime, utc } from "@/lib/utils";
import { ConditionBuilder } from "./activity-condition";
import { conditionItems, conditionJson, parseJson, scopeFields, scopeJson, type ScopeFields } from "./activity-condition-json";

type Props = {
  tenant: MyTenant;
  scope: string;
  condition: string;
  onScope: (json: string) => void;
  onCondition: (json: string) => void;
  errors: Record<string, string>;
  disabled: boolean;
};

export function ActivityScopeAndCondition({ tenant, scope, condition, onScope, onCondition, errors, disabled }: Props) {
  const items = conditionItems(condition);
  const fields = scopeFields(scope);
  // hand-written JSON the form cannot show opens as JSON; the form is the default otherwise
  const [asJson, setAsJson] = useState(items === null || fields === null);
  const formable = items !== null && fields !== null;
  const setScopeField = (k: keyof ScopeFields, value: string) => fields && onScope(scopeJson({ ...fields, [k]: value }));

  return (
    <div className="space-y-4">
      <div className="flex items-center justify-end gap-1">
        <Button size="sm" variant={asJson ? "ghost" : "secondary"} disabled={!formable} onClick={() => setAsJson(false)} aria-pressed={!asJson} title={formable ? undefined : "This JSON uses a shape the form cannot show"}>
          <ListFilter /> Form
        </Button>
        <Button size="sm" variant={asJson ? "secondary" : "ghost"} onClick={() => setAsJson(true)} aria-pressed={asJson}>
          <Braces /> Edit as JSON
        </Button>
      </div>
      {asJson || !formable ? (
        <>
          <Field id="scope" label="Scope" hint='e.g. {"subscriptionIds": ["…"], "resourceGroups": ["rg-backup"]}; {} is every event of the tenant' error={errors.scope}>
            <Textarea id="scope" rows={4} spellCheck={false} value={scope} onChange={(e) => onScope(e.target.value)} aria-invalid={!!errors.scope} />
          </Field>
          <Field
            id="condition"
            label="Condition"
            hint="Leaves: {field, equals}, {field, containsAny: […]} or {anyOf: […]}; fields such as category, operationName, status, resourceId, caller or properties.<path>"
            error={errors.condition}
          >
            <Textarea id="condition" rows={10} spellCheck={false} value={condition} onChange={(e) => onCondition(e.target.value)} aria-invalid={!!errors.condition} />
          </Field>
        </>
      ) : (
        <>
          <div className="grid gap-3 md:grid-cols-3">
            <Field id="scope-subscriptions" label="Subscriptions" hint="Subscription ids, one per line or comma-separated">
              <Textarea id="scope-subscriptions" rows={2} value={fields.subscriptionIds} onChange={(e) => setScopeField("subscriptionIds", e.target.value)} />
            </Field>
            <Field id="scope-resource-groups" label="Resource groups" hint="Names (any subscription) or full ids">
              <Textarea id="scope-resource-groups" rows={2} value={fields.resourceGroups} onChange={(e) => setScopeField("resourceGroups", e.target.value)} />
            </Field>
            <Field id="scope-resources" label="Resources" hint="ARM ids, e.g. a vault's">
              <Textarea id="scope-resources" rows={2} value={fields.resourceIds} onChange={(e) => setScopeField("resourceIds", e.target.value)} />
            </Field>
          </div>
          {errors.scope ? (
            <p role="alert" className="text-xs text-red-600" data-testid="scope-error">
              {errors.scope}
            </p>
          ) : (
            <p className="-mt-1 text-xs text-zinc-500">An event inside any of these is in scope; all empty means every event of {tenant.name}.</p>
          )}
          <div>
            <div className="mb-1.5 text-xs font-medium text-zinc-700">Conditions</div>
            <ConditionBuilder items={items} onChange={(next) => onCondition(conditionJson(next))} disabled={disabled} />
            {errors.condition ? (
              <p role="alert" className="mt-1 text-xs text-red-600" data-testid="condition-error">
                {errors.condition}
              </p>
            ) : null}
          </div>
        </>
      )}
      <RecentMatches tenant={tenant} scope={scope} condition={condition} />
    </div>
  );
}

/** "Matches these recent events": what the rule would have fired on, asked again shortly after each edit. */
function RecentMatches({ tenant, scope, condition }: { tenant: MyTenant; scope: string; condition: string }) {
  const trpc = useTRPC();
  const [days, setDays] = useState(7);
  const asked = useDebounced({ scope: parseJson(scope), condition: parseJson(condition), days }, 400);
  const ready = asked.scope !== undefined && asked.condition !== undefined;
  const preview = useQuery({
    ...trpc.rules.previewActivity.queryOptions({ tenantId: tenant.id, scope: asked.scope as never, condition: asked.condition as never, days: asked.days }),
    enabled: ready,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const data = preview.data;
  return (
    <div className="rounded-md border border-zinc-200" data-testid="activity-matches">
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-3 py-2">
        <span className="text-[13px] font-medium text-zinc-900">Matches these recent events</span>
        {data && !preview.error ? (
          <span className="text-xs text-zinc-600" data-testid="activity-matches-count">
            {data.matched} of {data.examined.toLocaleString()} event{data.examined === 1 ? "" : "s"}
            {data.capped ? " (the newest)" : ""}
          </span>
        ) : null}
        <span className="ml-auto" />
        <Select aria-label="Events of the last" className="h-7 w-36" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          <option value={1}>last 24 hours</option>
          <option value={7}>last 7 days</option>
          <option value={30}>last 30 days</option>
        </Select>
      </div>
      {!ready ? (
        <p className="px-3 py-3 text-xs text-zinc-500">Fix the JSON above to see which events match.</p>
      ) : preview.error ? (
        <p role="alert" className="px-3 py-3 text-xs text-red-600">
          {errorMessage(preview.error)}
        </p>
      ) : !data ? (
        <div className="space-y-2 p-3">
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
        </div>
      ) : data.events.length === 0 ? (
        <p className="px-3 py-3 text-xs text-zinc-500">
          {data.examined === 0
            ? `${tenant.name} has no activity-log events in this period yet, so nothing can be tried.`
            : "None of them: this rule would have stayed quiet. Widen the condition or the period if you expected some."}
        </p>
      ) : (
        <div className="max-h-72 overflow-auto">
          <table className="w-full border-collapse text-[13px]">
            <thead className="sticky top-0 bg-white">
              <tr>
                <Th>When</Th>
                <Th>Operation</Th>
                <Th>Status</Th>
                <Th>Resource</Th>
                <Th>Caller</Th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((e) => (
                <tr key={e.id} data-testid="activity-match-row">
                  <Td className="whitespace-nowrap text-zinc-600">
                    <span title={utc(e.eventTimestamp)}>{relativeTime(e.eventTimestamp)}</span>
                  </Td>
                  <Td className="max-w-xs truncate font-mono text-xs">
                    <Link href={`/t/${tenant.slug}/activity?event=${e.id}`} className="text-blue-700 hover:underline" title={e.operationName}>
                      {e.operationName}
                    </Link>
                  </Td>
                  <Td>{e.status ? <Badge tone={e.status === "Failed" ? "red" : e.status === "Succeeded" ? "green" : "zinc"}>{e.status}</Badge> : null}</Td>
                  <Td className="max-w-[14rem] truncate text-xs text-zinc-600">
                    <span title={e.resourceId}>{e.resourceId.split("/").slice(-1)[0]}</span>
                  </Td>
                  <Td className="max-w-[12rem] truncate text-xs text-zinc-600">{e.caller ?? ""}</Td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.matched > data.events.length ? <p className="px-3 py-2 text-xs text-zinc-500">and {data.matched - data.events.length} more</p> : null}
        </div>
      )}
    </div>
  );
}
