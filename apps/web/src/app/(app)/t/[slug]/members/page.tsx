"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { canAssignRole, roles, type RoleName } from "@vaultwatch/schemas";
import { Mail, Trash2, UserPlus, Users, X } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Card, CopyButton, EmptyState, PageHeader, RoleBadge, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, useMe, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf, relativeTime } from "@/lib/utils";
import { TenantOnly } from "../tenant-only";

export default function MembersPage() {
  return <TenantOnly>{(t) => <Members tenant={t} />}</TenantOnly>;
}

function Members({ tenant }: { tenant: MyTenant }) {
  const me = useMe();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const myRole = tenant.role;
  const canWrite = roleCan(myRole, "members.write");
  const list = useQuery(trpc.members.list.queryOptions({ tenantId: tenant.id }));
  const invite = useMutation(trpc.members.invite.mutationOptions());
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions());
  const remove = useMutation(trpc.members.remove.mutationOptions());
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions());
  const [inviteOpen, setInviteOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<RoleName>("viewer");
  const [inviteError, setInviteError] = useState<string>();
  const [inviteUrl, setInviteUrl] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ id: string; email: string } | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.members.list.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.tenants.listMine.queryKey() });
  };
  const assignable = roles.filter((r) => canAssignRole(myRole, r));

  return (
    <div>
      <PageHeader
        title="Members"
        description={`Who can see and change ${tenant.name}.`}
        actions={canWrite ? <Button variant="primary" onClick={() => { setInviteError(undefined); setInviteUrl(null); setEmail(""); setInviteOpen(true); }}><UserPlus /> Invite</Button> : null}
      />
      <Card>
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.error ? (
          <EmptyState title="Could not load members">{errorMessage(list.error)}</EmptyState>
        ) : !list.data?.members.length ? (
          <EmptyState icon={<Users />} title="No members" />
        ) : (
          <table className="w-full border-collapse">
            <thead><tr><Th>Member</Th><Th>Role</Th><Th>Joined</Th><Th className="w-12"><span className="sr-only">Actions</span></Th></tr></thead>
            <tbody>
              {list.data.members.map((m) => {
                const manageable = canWrite && canAssignRole(myRole, m.role);
                return (
                  <tr key={m.id} className="hover:bg-zinc-50/80">
                    <Td>
                      <div className="font-medium text-zinc-900">{m.user.name}{m.user.id === me.user.id ? <span className="ml-1.5 text-xs font-normal text-zinc-500">(you)</span> : null}</div>
                      <div className="text-xs text-zinc-500">{m.user.email}</div>
                    </Td>
                    <Td>
                      {manageable ? (
                        <Select aria-label={`Role of ${m.user.email}`} className="w-32" value={m.role} disabled={changeRole.isPending}
                          onChange={async (e) => {
                            try { await changeRole.mutateAsync({ tenantId: tenant.id, membershipId: m.id, role: e.target.value as RoleName }); toast.success("Role changed"); refresh(); }
                            catch (err) { toast.error(errorMessage(err)); }
                          }}>
                          {assignable.map((r) => <option key={r} value={r}>{r}</option>)}
                        </Select>
                      ) : <RoleBadge role={m.role} />}
                    </Td>
                    <Td className="text-zinc-500">{relativeTime(m.createdAt)}</Td>
                    <Td>{manageable ? <Button size="icon" variant="danger-ghost" aria-label={`Remove ${m.user.email}`} onClick={() => setRemoving({ id: m.id, email: m.user.email })}><Trash2 /></Button> : null}</Td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>

      {list.data?.invitations.length ? (
        <>
          <h2 className="mb-2 mt-6 text-sm font-semibold text-zinc-900">Pending invitations</h2>
          <Card>
            <table className="w-full border-collapse">
              <thead><tr><Th>Email</Th><Th>Role</Th><Th>Expires</Th><Th className="w-12"><span className="sr-only">Actions</span></Th></tr></thead>
              <tbody>
                {list.data.invitations.map((i) => (
                  <tr key={i.id}>
                    <Td><Mail className="mr-1.5 inline size-3.5 text-zinc-400" />{i.email}</Td>
                    <Td><RoleBadge role={i.role} /></Td>
                    <Td className="text-zinc-500">{relativeTime(i.expiresAt)}</Td>
                    <Td>{canWrite ? <Button size="icon" variant="danger-ghost" aria-label={`Revoke invitation for ${i.email}`}
                      onClick={async () => { try { await revoke.mutateAsync({ tenantId: tenant.id, invitationId: i.id }); toast.success("Invitation revoked"); refresh(); } catch (e) { toast.error(errorMessage(e)); } }}><X /></Button> : null}</Td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </>
      ) : null}

      <Dialog open={inviteOpen} onOpenChange={setInviteOpen} title={inviteUrl ? "Invitation link" : `Invite to ${tenant.name}`}
        description={inviteUrl ? `Send this link to ${email}. It works once and expires in 7 days; you will not see it again.` : "They get a one-time link and join when they accept it: signed in if they have an account, or by creating one."}
        footer={inviteUrl ? <Button variant="primary" onClick={() => setInviteOpen(false)}>Done</Button> : <><Button onClick={() => setInviteOpen(false)}>Cancel</Button><Button variant="primary" type="submit" form="invite-form" disabled={invite.isPending}>Invite</Button></>}>
        {inviteUrl ? (
          <div className="flex gap-2">
            <input readOnly value={inviteUrl} aria-label="Invitation link" onFocus={(e) => e.currentTarget.select()} className="h-8 w-full rounded-md border border-zinc-200 bg-zinc-50 px-2.5 font-mono text-xs" />
            <CopyButton value={inviteUrl} />
          </div>
        ) : (
          <form id="invite-form" noValidate className="space-y-4" onSubmit={async (e) => {
            e.preventDefault();
            setInviteError(undefined);
            try {
              const r = await invite.mutateAsync({ tenantId: tenant.id, email, role });
              refresh();
              setInviteUrl(r.inviteUrl);
            } catch (err) { setInviteError(fieldErrorsOf(err).email ?? errorMessage(err)); }
          }}>
            <Field id="invite-email" label="Email" error={inviteError}><Input id="invite-email" type="email" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={!!inviteError} /></Field>
            <Field id="invite-role" label="Role"><Select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as RoleName)}>{assignable.map((r) => <option key={r} value={r}>{r}</option>)}</Select></Field>
          </form>
        )}
      </Dialog>
      <ConfirmDialog open={!!removing} onOpenChange={(o) => !o && setRemoving(null)} title={`Remove ${removing?.email ?? ""}?`} description="They lose access to this tenant at once." pending={remove.isPending}
        onConfirm={async () => {
          if (!removing) return;
          try { await remove.mutateAsync({ tenantId: tenant.id, membershipId: removing.id }); toast.success("Removed"); setRemoving(null); refresh(); }
          catch (e) { toast.error(errorMessage(e)); }
        }} />
    </div>
  );
}
