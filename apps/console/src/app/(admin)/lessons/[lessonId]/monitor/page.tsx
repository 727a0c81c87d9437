import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireAdminKey } from "~/trpc/server";
import { MonitorView } from "./_components/monitor-view";

export const metadata: Metadata = { title: "Live monitor" };

export default async function MonitorPage({ params }: { params: Promise<{ lessonId: string }> }) {
  const { lessonId: raw } = await params;
  const lessonId = Number(raw);
  if (!Number.isSafeInteger(lessonId) || lessonId <= 0) notFound();
  await requireAdminKey(`/lessons/${lessonId}/monitor`);
  return (
    <>
      <p className="small">
        <Link href="/lessons">← Lessons</Link>
      </p>
      <h1>Lesson {lessonId}: live traffic</h1>
      <MonitorView lessonId={lessonId} />
    </>
  );
}
