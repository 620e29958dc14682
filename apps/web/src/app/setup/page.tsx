"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { displayName, email, password } from "@vaultwatch/schemas";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";
import { AuthCard } from "../auth-card";

const schema = z
  .object({ name: displayName, email, password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });

type Values = z.input<typeof schema>;

export default function SetupPage() {
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.setup.status.queryOptions());
  const create = useMutation(trpc.setup.createAdmin.mutationOptions());
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: "", email: "", password: "", confirm: "" },
  });

  useEffect(() => {
    if (status.data && !status.data.needsSetup) router.replace("/login");
  }, [status.data, router]);

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await create.mutateAsync({ name: v.name, email: v.email, password: v.password });
      // the sign-in page reads the same status: left cached as "needs setup", it sent the new admin back here
      queryClient.setQueryData(trpc.setup.status.queryKey(), { needsSetup: false });
      toast.success("Platform admin created. Sign in to continue.");
      router.replace("/login");
    } catch (e) {
      const fe = fieldErrorsOf(e);
      for (const [k, m] of Object.entries(fe)) form.setError(k as keyof Values, { message: m });
      if (!Object.keys(fe).length) toast.error(errorMessage(e));
    }
  });

  if (!status.data?.needsSetup) return <AuthCard title="Setup">{status.isLoading ? "Checking…" : "Redirecting…"}</AuthCard>;

  const { errors, isSubmitting } = form.formState;
  return (
    <AuthCard title="Welcome to Vaultwatch" subtitle="Create the platform admin account. This page works only once.">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field id="name" label="Your name" error={errors.name?.message}>
          <Input id="name" autoFocus aria-invalid={!!errors.name} {...form.register("name")} />
        </Field>
        <Field id="email" label="Email" error={errors.email?.message}>
          <Input id="email" type="email" autoComplete="username" aria-invalid={!!errors.email} {...form.register("email")} />
        </Field>
        <Field id="password" label="Password" hint="At least 12 characters." error={errors.password?.message}>
          <Input id="password" type="password" autoComplete="new-password" aria-invalid={!!errors.password} {...form.register("password")} />
        </Field>
        <Field id="confirm" label="Confirm password" error={errors.confirm?.message}>
          <Input id="confirm" type="password" autoComplete="new-password" aria-invalid={!!errors.confirm} {...form.register("confirm")} />
        </Field>
        <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create admin"}
        </Button>
      </form>
    </AuthCard>
  );
}
