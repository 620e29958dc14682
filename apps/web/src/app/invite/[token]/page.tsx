"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
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
  const [signInNotice, setSignInNotice] = useState<string | null>(null);
  // set once joined: the refetch that follows finds the invitation used, which must not flash "not found"
  const [joinedTenant, setJoinedTenant] = useState<string | null>(null);

  if (joinedTenant) return <AuthCard title={`Join ${joinedTenant}`}>Opening {joinedTenant}…</AuthCard>;
  if (invite.isLoading || me.isLoading) return <AuthCard title="Invitation">Loading…</AuthCard>;
  if (invite.error || !invite.data) {
    // the API's "not found" words suit a log, not someone holding a link
    const gone = invite.error?.data?.code === "NOT_FOUND";
    const signedIn = !me.error && !!me.data?.user;
    return (
      <AuthCard
        title={gone ? "This invitation link no longer works" : "Could not open the invitation"}
        subtitle={
          gone
            ? "It was accepted already, has expired or was revoked. Ask whoever invited you for a new link."
            : errorMessage(invite.error)
        }
      >
        {signedIn ? (
          <Button onClick={() => router.push("/")}>Go to Vaultwatch</Button>
        ) : (
          <Button onClick={() => router.push("/login")}>Go to sign in</Button>
        )}
      </AuthCard>
    );
  }
  const { email, role, tenantName } = invite.data;
  // the address goes in the forms' Email field: beside the badge, a long one pushed the role onto a line of its own
  const subtitle = (
    <span className="inline-flex items-center gap-1.5">
      Invited as <RoleBadge role={role} />
    </span>
  );

  /** Into the tenant, with the new membership in every cached answer (the tenant list comes from `me`). */
  const joined = async (tenantSlug: string) => {
    setJoinedTenant(tenantName);
    await queryClient.invalidateQueries();
    toast.success(`You joined ${tenantName}`);
    router.replace(`/t/${tenantSlug}`);
  };
  const acceptSignedIn = async () => {
    let tenantSlug: string;
    try {
      ({ tenantSlug } = await accept.mutateAsync({ token }));
    } catch (e) {
      toast.error(errorMessage(e));
      // signing in may have just happened: show the page as the signed-in user sees it
      await queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
      return;
    }
    await joined(tenantSlug);
  };
  const signOut = async () => {
    await authClient.signOut();
    // reset, not invalidate: a refetch that fails keeps the old data, and the page went on showing the signed-in user
    await queryClient.resetQueries({ queryKey: trpc.me.get.queryKey() });
  };

  const user = me.error ? undefined : me.data?.user;
  if (user) {
    const isInvitee = user.email.toLowerCase() === email.toLowerCase();
    return (
      <AuthCard title={`Join ${tenantName}`} subtitle={subtitle}>
        {isInvitee ? (
          <div className="space-y-4">
            <p className="text-[13px] text-zinc-600">You are signed in as {user.email}.</p>
            <Button variant="primary" className="w-full" disabled={accept.isPending} onClick={acceptSignedIn}>
              {accept.isPending ? "Joining…" : "Accept invitation"}
            </Button>
          </div>
        ) : (
          <div className="space-y-4">
            <div className="space-y-3 text-[13px]" data-testid="invite-other-user">
              <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
                This invitation is for <span className="font-medium">{email}</span>.
              </p>
              <p className="text-zinc-600">
                You are signed in as <span className="font-medium text-zinc-900">{user.email}</span>. Sign out, then
                sign in as the invited address or create its account.
              </p>
            </div>
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
            onClick={() => {
              setMode(m);
              setSignInNotice(null);
            }}
            className={`rounded px-2 py-1 ${mode === m ? "bg-white font-medium text-zinc-900 shadow-sm" : "text-zinc-600"}`}
          >
            {m === "signIn" ? "I have an account" : "Create an account"}
          </button>
        ))}
      </div>
      {mode === "signIn" ? (
        <SignInAndAccept email={email} notice={signInNotice} onSignedIn={acceptSignedIn} />
      ) : (
        <CreateAndAccept
          email={email}
          token={token}
          accept={accept.mutateAsync}
          onJoined={joined}
          onHasAccount={() => {
            setSignInNotice("This address has an account already. Sign in with its password to accept.");
            setMode("signIn");
          }}
        />
      )}
    </AuthCard>
  );
}

function SignInAndAccept({
  email,
  notice,
  onSignedIn,
}: {
  email: string;
  notice: string | null;
  onSignedIn: () => Promise<void>;
}) {
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
      {notice ? (
        <p
          role="status"
          className="rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-[13px] text-blue-900"
          data-testid="invite-notice"
        >
          {notice}
        </p>
      ) : null}
      <InvitedEmail email={email} />
      <Field id="password" label="Password" error={errors.password?.message}>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          autoFocus
          aria-invalid={!!errors.password}
          {...form.register("password")}
        />
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

/** The invited address, fixed: the account that accepts is always this one. */
function InvitedEmail({ email, hint }: { email: string; hint?: string }) {
  return (
    <Field id="email" label="Email" hint={hint}>
      <Input
        id="email"
        type="email"
        autoComplete="username"
        value={email}
        readOnly
        className="bg-zinc-50 text-zinc-600 focus:border-zinc-200 focus:ring-0"
      />
    </Field>
  );
}

/**
 * A new account for the invited address, then straight into the tenant: the password just chosen signs in, so the
 * invitee need not type it again on the sign-in page (which it falls back to if signing in fails, e.g. throttled).
 */
function CreateAndAccept({
  email,
  token,
  accept,
  onJoined,
  onHasAccount,
}: {
  email: string;
  token: string;
  accept: (input: { token: string; name: string; password: string }) => Promise<{ tenantSlug: string }>;
  onJoined: (tenantSlug: string) => Promise<void>;
  /** The address has an account: the create tab is the default, so an existing user may well try it first. */
  onHasAccount: () => void;
}) {
  const router = useRouter();
  const form = useForm<NewAccount>({
    resolver: zodResolver(newAccount),
    defaultValues: { name: "", password: "", confirm: "" },
  });
  const onSubmit = form.handleSubmit(async (v) => {
    let tenantSlug: string;
    try {
      ({ tenantSlug } = await accept({ token, name: v.name, password: v.password }));
    } catch (e) {
      if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === "CONFLICT") {
        onHasAccount();
        return;
      }
      const fe = fieldErrorsOf(e);
      for (const [k, m] of Object.entries(fe)) if (k in v) form.setError(k as keyof NewAccount, { message: m });
      if (!Object.keys(fe).some((k) => k in v)) toast.error(errorMessage(e));
      return;
    }
    const { error } = await authClient.signIn.email({ email, password: v.password });
    if (error) {
      toast.success("Account created. Sign in with your new password.");
      router.replace("/login");
      return;
    }
    await onJoined(tenantSlug);
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <InvitedEmail email={email} hint="You will sign in with this address." />
      <Field id="name" label="Your name" error={errors.name?.message}>
        <Input id="name" autoFocus aria-invalid={!!errors.name} {...form.register("name")} />
      </Field>
      <Field id="new-password" label="Password" hint="At least 12 characters." error={errors.password?.message}>
        <Input
          id="new-password"
          type="password"
          autoComplete="new-password"
          aria-invalid={!!errors.password}
          {...form.register("password")}
        />
      </Field>
      <Field id="confirm" label="Confirm password" error={errors.confirm?.message}>
        <Input
          id="confirm"
          type="password"
          autoComplete="new-password"
          aria-invalid={!!errors.confirm}
          {...form.register("confirm")}
        />
      </Field>
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? "Creating account…" : "Create account and accept"}
      </Button>
    </form>
  );
}
