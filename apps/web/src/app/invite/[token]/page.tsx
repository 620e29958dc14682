"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { displayName, password } from "@vaultwatch/schemas";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { RoleBadge } from "@/components/ui/misc";
import { authClient } from "@/lib/auth-client";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";
import { AuthCard } from "../../auth-card";

const newAccount = z
  .object({ name: displayName, password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });
type NewAccount = z.input<typeof newAccount>;

const existingAccount = z.object({ password: z.string().min(1, "Enter your password") });
type ExistingAccount = z.input<typeof existingAccount>;

/**
 * An invitation link. Whoever opens it sees the same page whether or not the address has an account (the inviter
 * may open it too): sign in as the invited address to accept, or create the account. Signed in, it accepts for the
 * signed-in user if that is the invited address, and otherwise says who to sign in as.
 */
export default function InvitePage() {
  const { token } = useParams<{ token: string }>();
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invite = useQuery(trpc.invitations.get.queryOptions({ token }));
  const me = useQuery(trpc.me.get.queryOptions(undefined, { retry: false }));
  const accept = useMutation(trpc.invitations.accept.mutationOptions());
  const [mode, setMode] = useState<"signIn" | "create">("create");

  if (invite.isLoading || me.isLoading) return <AuthCard title="Invitation">Loading…</AuthCard>;
  if (invite.error || !invite.data)
    return (
      <AuthCard title="Invitation not found" subtitle={errorMessage(invite.error)}>
        <Button onClick={() => router.push("/login")}>Go to sign in</Button>
      </AuthCard>
    );
  const { email, role, tenantName } = invite.data;
  const subtitle = (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {email} is invited as <RoleBadge role={role} />
    </span>
  );

  const acceptSignedIn = async () => {
    try {
      const joined = await accept.mutateAsync({ token });
      await queryClient.invalidateQueries();
      toast.success(`You joined ${tenantName}`);
      router.replace(`/t/${joined.tenantSlug}`);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  const signOut = async () => {
    await authClient.signOut();
    await queryClient.invalidateQueries();
  };

  const user = me.data?.user;
  if (user) {
    const isInvitee = user.email.toLowerCase() === email.toLowerCase();
    return (
      <AuthCard title={`Join ${tenantName}`} subtitle={subtitle}>
        {isInvitee ? (
          <Button variant="primary" className="w-full" disabled={accept.isPending} onClick={acceptSignedIn}>
            {accept.isPending ? "Joining…" : "Accept invitation"}
          </Button>
        ) : (
          <div className="space-y-4">
            <p className="text-[13px] text-zinc-600" data-testid="invite-other-user">
              You are signed in as {user.email}. This invitation is for {email}: sign out, then sign in as {email} or create that account.
            </p>
            <Button className="w-full" onClick={signOut}>
              Sign out
            </Button>
          </div>
        )}
      </AuthCard>
    );
  }

  return (
    <AuthCard title={`Join ${tenantName}`} subtitle={subtitle}>
      <div className="mb-4 grid grid-cols-2 gap-1 rounded-md bg-zinc-100 p-1 text-[13px]" role="tablist">
        {(["create", "signIn"] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            onClick={() => setMode(m)}
            className={`rounded px-2 py-1 ${mode === m ? "bg-white font-medium text-zinc-900 shadow-sm" : "text-zinc-500"}`}
          >
            {m === "signIn" ? "I have an account" : "Create an account"}
          </button>
        ))}
      </div>
      {mode === "signIn" ? (
        <SignInAndAccept email={email} onSignedIn={acceptSignedIn} />
      ) : (
        <CreateAndAccept token={token} onCreated={() => router.replace("/login")} accept={accept.mutateAsync} />
      )}
    </AuthCard>
  );
}

function SignInAndAccept({ email, onSignedIn }: { email: string; onSignedIn: () => Promise<void> }) {
  const form = useForm<ExistingAccount>({ resolver: zodResolver(existingAccount), defaultValues: { password: "" } });
  const [formError, setFormError] = useState<string | null>(null);
  const onSubmit = form.handleSubmit(async (v) => {
    setFormError(null);
    const { error } = await authClient.signIn.email({ email, password: v.password });
    if (error) {
      setFormError(error.status === 429 ? "Too many attempts, wait a minute" : "Wrong email or password");
      return;
    }
    await onSignedIn();
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <Field id="email" label="Email">
        <Input id="email" type="email" autoComplete="username" value={email} readOnly />
      </Field>
      <Field id="password" label="Password" error={errors.password?.message}>
        <Input id="password" type="password" autoComplete="current-password" autoFocus aria-invalid={!!errors.password} {...form.register("password")} />
      </Field>
      {formError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-700">
          {formError}
        </p>
      ) : null}
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in and accept"}
      </Button>
    </form>
  );
}

function CreateAndAccept({
  token,
  onCreated,
  accept,
}: {
  token: string;
  onCreated: () => void;
  accept: (input: { token: string; name: string; password: string }) => Promise<unknown>;
}) {
  const form = useForm<NewAccount>({ resolver: zodResolver(newAccount), defaultValues: { name: "", password: "", confirm: "" } });
  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await accept({ token, name: v.name, password: v.password });
      toast.success("Account created. Sign in with your new password.");
      onCreated();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      for (const [k, m] of Object.entries(fe)) if (k in v) form.setError(k as keyof NewAccount, { message: m });
      if (!Object.keys(fe).some((k) => k in v)) toast.error(errorMessage(e));
    }
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <Field id="name" label="Your name" error={errors.name?.message}>
        <Input id="name" autoFocus aria-invalid={!!errors.name} {...form.register("name")} />
      </Field>
      <Field id="new-password" label="Password" hint="At least 12 characters." error={errors.password?.message}>
        <Input id="new-password" type="password" autoComplete="new-password" aria-invalid={!!errors.password} {...form.register("password")} />
      </Field>
      <Field id="confirm" label="Confirm password" error={errors.confirm?.message}>
        <Input id="confirm" type="password" autoComplete="new-password" aria-invalid={!!errors.confirm} {...form.register("confirm")} />
      </Field>
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Creating account…" : "Create account and accept"}
      </Button>
    </form>
  );
}
