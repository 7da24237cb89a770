import { AtomicFile } from '../sinks/atomic-file.js';

/** Writes a JSON report atomically (complete or absent). */
export async function writeReport(file: string, report: Record<string, unknown>): Promise<void> {
  const f = new AtomicFile(file);
  await f.append(JSON.stringify(report, null, 2) + '\n');
  await f.commit();
}
