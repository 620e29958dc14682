"use client";

import { useQuery } from "@tanstack/react-query";
import { ListChecks } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import type { MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/utils";
import { TenantOnly } from "../../tenant-only";
import { formFromRule, RuleForm } from "../rule-form";

export default function EditRulePage() {
  return <TenantOnly>{(t) => <EditRule tenant={t} />}</TenantOnly>;
}

function EditRule({ tenant }: { tenant: MyTenant }) {
  const { ruleId } = useParams<{ ruleId: string }>();
  const trpc = useTRPC();
  const rule = useQuery({ ...trpc.rules.get.queryOptions({ tenantId: tenant.id, ruleId }), staleTime: 0 });
  if (rule.isLoading)
    return (
      <div className="max-w-4xl space-y-4" aria-busy="true">
        <Skeleton className="h-6 w-64" />
        <Skeleton className="h-40 w-full" />
        <Skeleton className="h-56 w-full" />
      </div>
    );
  if (rule.error || !rule.data)
    return (
      <EmptyState
        icon={<ListChecks />}
        title="Rule not found"
        action={
          <Link className="text-[13px] text-blue-600 hover:underline" href={`/t/${tenant.slug}/rules`}>
            Back to rules
          </Link>
        }
      >
        {rule.error ? errorMessage(rule.error) : "It may have been deleted."}
      </EmptyState>
    );
  if (rule.data.definition === null)
    return (
      <EmptyState
        icon={<ListChecks />}
        title="This rule cannot be edited"
        action={
          <Link className="text-[13px] text-blue-600 hover:underline" href={`/t/${tenant.slug}/rules`}>
            Back to rules
          </Link>
        }
      >
        {rule.data.definitionError}. This is a fault on our side and has been logged; delete the rule and create it again.
      </EmptyState>
    );
  // keyed on the version: a rule saved elsewhere reloads the form rather than mixing two versions
  return <RuleForm key={`${rule.data.id}:${rule.data.version}`} tenant={tenant} rule={rule.data} initial={formFromRule(rule.data)} />;
}
