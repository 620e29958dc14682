"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { region as regionSchema, vaultArmId } from "@vaultwatch/schemas";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";
import { useTargetTenant } from "./tenant-picker";

type Errors = Partial<Record<"armId" | "region" | "workspaceId" | "tenant" | "form", string>>;

export function RegisterVaultDialog({
  open,
  onOpenChange,
  onDone,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState("");
  const { tenantId, picker } = useTargetTenant("vaults.write", chosen, setChosen);
  const [armId, setArmId] = useState("");
  const [region, setRegion] = useState("");
  const [workspaceId, setWorkspaceId] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const workspaces = useQuery({ ...trpc.workspaces.list.queryOptions({ tenantId }), enabled: open && !!tenantId });
  const register = useMutation(trpc.vaults.register.mutationOptions());

  function reset() {
    setArmId("");
    setRegion("");
    setWorkspaceId("");
    setErrors({});
  }

  async function submit() {
    const next: Errors = {};
    if (!tenantId) next.tenant = "Choose a tenant";
    const a = vaultArmId.safeParse(armId);
    if (!a.success) next.armId = a.error.issues[0]?.message ?? "invalid";
    if (region.trim()) {
      const r = regionSchema.safeParse(region);
      if (!r.success) next.region = r.error.issues[0]?.message ?? "invalid";
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    try {
      const v = await register.mutateAsync({
        tenantId,
        armId: armId.trim(),
        ...(region.trim() ? { region: region.trim() } : {}),
        workspaceId: workspaceId || null,
      });
      toast.success(`Registered ${v.name}`);
      onDone();
      reset();
      onOpenChange(false);
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (Object.keys(fe).length) setErrors(fe);
      else {
        const msg = errorMessage(e);
        const m = /^(armId|region|workspaceId): (.*)$/.exec(msg);
        setErrors(m ? { [m[1] as string]: m[2] } : { form: msg });
      }
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) reset();
        onOpenChange(o);
      }}
      title="Register vault"
      description="Add a customer's Recovery Services vault by its Azure resource id."
      className="max-w-xl"
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form="register-vault" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register"}
          </Button>
        </>
      }
    >
      <form
        id="register-vault"
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {picker}
        {errors.tenant ? <p className="text-xs text-red-600" role="alert">{errors.tenant}</p> : null}
        <Field
          id="armId"
          label="ARM id"
          hint="/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{name}"
          error={errors.armId}
        >
          <Input
            id="armId"
            autoFocus
            className="font-mono text-xs"
            placeholder="/subscriptions/…/providers/Microsoft.RecoveryServices/vaults/…"
            value={armId}
            onChange={(e) => setArmId(e.target.value)}
            aria-invalid={!!errors.armId}
            aria-describedby={errors.armId ? "armId-error" : "armId-hint"}
            spellCheck={false}
          />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field id="region" label="Region (optional)" hint="e.g. westeurope" error={errors.region}>
            <Input
              id="region"
              value={region}
              onChange={(e) => setRegion(e.target.value)}
              aria-invalid={!!errors.region}
              placeholder="westeurope"
            />
          </Field>
          <Field id="workspaceId" label="Workspace (optional)" error={errors.workspaceId}>
            <Select id="workspaceId" value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)} disabled={!tenantId}>
              <option value="">Not linked</option>
              {(workspaces.data ?? []).map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name} ({w.kind})
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {errors.form ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
