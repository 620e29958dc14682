"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { displayName, password } from "@vaultwatch/schemas";
import { useParams, useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { RoleBadge } from "@/components/ui/misc";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";
import { AuthCard } from "../../auth-card";

const schema = z
  .object({ name: displayName, password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });
type Values = z.input<typeof schema>;

export default function InvitePage() {
  const { token } = useParams<{ token: string }>();
  const router = useRouter();
  const trpc = useTRPC();
  const invite = useQuery(trpc.invitations.get.queryOptions({ token }));
  const accept = useMutation(trpc.invitations.accept.mutationOptions());
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { name: "", password: "", confirm: "" } });

  if (invite.isLoading) return <AuthCard title="Invitation">Loading…</AuthCard>;
  if (invite.error || !invite.data)
    return (
      <AuthCard title="Invitation not found" subtitle={errorMessage(invite.error)}>
        <Button onClick={() => router.push("/login")}>Go to sign in</Button>
      </AuthCard>
    );

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await accept.mutateAsync({ token, name: v.name, password: v.password });
      toast.success("Account created. Sign in with your new password.");
      router.replace("/login");
    } catch (e) {
      const fe = fieldErrorsOf(e);
      for (const [k, m] of Object.entries(fe)) form.setError(k as keyof Values, { message: m });
      if (!Object.keys(fe).length) toast.error(errorMessage(e));
    }
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <AuthCard
      title={`Join ${invite.data.tenantName}`}
      subtitle={
        <span className="inline-flex items-center gap-1.5">
          {invite.data.email} is invited as <RoleBadge role={invite.data.role} />
        </span>
      }
    >
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field id="name" label="Your name" error={errors.name?.message}>
          <Input id="name" autoFocus aria-invalid={!!errors.name} {...form.register("name")} />
        </Field>
        <Field id="password" label="Password" hint="At least 12 characters." error={errors.password?.message}>
          <Input id="password" type="password" autoComplete="new-password" aria-invalid={!!errors.password} {...form.register("password")} />
        </Field>
        <Field id="confirm" label="Confirm password" error={errors.confirm?.message}>
          <Input id="confirm" type="password" autoComplete="new-password" aria-invalid={!!errors.confirm} {...form.register("confirm")} />
        </Field>
        <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
          {isSubmitting ? "Creating account…" : "Accept invitation"}
        </Button>
      </form>
    </AuthCard>
  );
}
