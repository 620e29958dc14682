import { redirect } from "next/navigation";

/** `/t/<slug>/views`: the first of the six views. */
export default async function ViewsIndex({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(`/t/${slug}/views/backup-jobs`);
}
