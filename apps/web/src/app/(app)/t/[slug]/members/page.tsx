"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { canAssignRole, roles, type RoleName } from "@vaultwatch/schemas";
import { Mail, Trash2, UserPlus, Users, X } from "lucide-react";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { FilterBar, FilterSearch, FilterSelect, oneOf, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
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
  return (
    <Suspense>
      <TenantOnly>{(t) => <Members tenant={t} />}</TenantOnly>
    </Suspense>
  );
}

const PAGE = 50;
const FILTERS = ["role", "q"] as const;
const SORTS = ["email", "name", "role", "joined"] as const;

function Members({ tenant }: { tenant: MyTenant }) {
  const me = useMe();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const myRole = tenant.role;
  const canWrite = roleCan(myRole, "members.write");
  const table = useTableUrl(FILTERS, SORTS, { sort: "email", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const f = table.filters;
  const roleFilter = oneOf(f.role, roles);
  const list = useQuery({
    ...trpc.members.page.queryOptions({
      tenantId: tenant.id,
      ...(roleFilter ? { role: roleFilter } : {}),
      ...(f.q ? { search: f.q } : {}),
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const members = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor;
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
    void qc.invalidateQueries({ queryKey: trpc.members.pathKey() });
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
      <FilterBar active={table.active} onClear={table.clearFilters} label="Filter members">
        <FilterSearch label="Name or email" value={f.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search members" testId="members-search" />
        <FilterSelect label="Role" value={f.role} onChange={(r) => table.setFilters({ role: r })} options={roles.map((r) => ({ value: r, label: r }))} />
      </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.error ? (
          <EmptyState title="Could not load members">{errorMessage(list.error)}</EmptyState>
        ) : members.length === 0 && table.active ? (
          <EmptyState icon={<Users />} title="No member matches these filters" action={<Button onClick={table.clearFilters}>Show all members</Button>} />
        ) : members.length === 0 ? (
          <EmptyState icon={<Users />} title="No members" />
        ) : (
          <table className="w-full border-collapse">
            <thead>
              <tr>
                <SortHeader label="Member" field="email" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <SortHeader label="Role" field="role" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <SortHeader label="Joined" field="joined" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <Th className="w-12"><span className="sr-only">Actions</span></Th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
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
        {members.length > 0 ? (
          <Pager
            label="Member pages"
            start={pages.start}
            shown={members.length}
            total={list.data?.total}
            busy={list.isFetching}
            onPrevious={pages.isFirst ? undefined : pages.previous}
            onNext={nextCursor ? () => pages.next(nextCursor) : undefined}
          />
        ) : null}
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
