"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useTRPC } from "@/lib/trpc";
import { AuthCard } from "../auth-card";

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email").email("Enter a valid email"),
  password: z.string().min(1, "Enter your password"),
});

export default function LoginPage() {
  const router = useRouter();
  const trpc = useTRPC();
  const setup = useQuery(trpc.setup.status.queryOptions());
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { email: "", password: "" } });

  useEffect(() => {
    if (setup.data?.needsSetup) router.replace("/setup");
  }, [setup.data, router]);

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const { error } = await authClient.signIn.email({ email: values.email, password: values.password });
    if (error) {
      if (error.status === 429) setFormError("Too many attempts, wait a minute");
      else if (error.status === 401 || error.code === "INVALID_EMAIL_OR_PASSWORD") setFormError("Wrong email or password");
      else setFormError(error.message ?? "Could not sign in");
      return;
    }
    router.replace("/");
    router.refresh();
  });

  const { errors, isSubmitting } = form.formState;
  return (
    <AuthCard title="Sign in" subtitle="Watch every customer's Azure Backup in one place.">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field id="email" label="Email" error={errors.email?.message}>
          <Input id="email" type="email" autoComplete="username" autoFocus aria-invalid={!!errors.email} {...form.register("email")} />
        </Field>
        <Field id="password" label="Password" error={errors.password?.message}>
          <Input id="password" type="password" autoComplete="current-password" aria-invalid={!!errors.password} {...form.register("password")} />
        </Field>
        {formError ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-700" data-testid="login-error">
            {formError}
          </p>
        ) : null}
        <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
          {isSubmitting ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </AuthCard>
  );
}
