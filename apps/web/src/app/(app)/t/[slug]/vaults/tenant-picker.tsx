"use client";

import type { Permission } from "@vaultwatch/schemas";
import { useEffect } from "react";
import { Field, Select } from "@/components/ui/input";
import { roleCan, useScope } from "@/lib/scope";

/** In All-tenants mode a form asks which tenant it acts in; in one tenant it is that tenant. */
export function useTargetTenant(permission: Permission, chosen: string, setChosen: (id: string) => void) {
  const scope = useScope();
  const options = scope.mode === "all" ? scope.tenants.filter((t) => roleCan(t.role, permission)) : [scope.tenant];
  // a single choice is made for the user; the effect follows that id, not the list rebuilt on every render
  const onlyChoice = options.length === 1 ? options[0]?.id : undefined;
  useEffect(() => {
    if (!chosen && onlyChoice) setChosen(onlyChoice);
  }, [chosen, onlyChoice, setChosen]);
  const tenantId = scope.mode === "tenant" ? scope.tenant.id : chosen;
  const picker =
    scope.mode === "all" ? (
      <Field id="tenant" label="Tenant">
        <Select id="tenant" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">Choose a tenant…</option>
          {options.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </Select>
      </Field>
    ) : null;
  return { tenantId, picker };
}
