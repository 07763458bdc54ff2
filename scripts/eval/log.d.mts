// Types for the event log reader, so the TypeScript tests can import it.
import type { EventType, Item } from '@palate/core'

export interface LogEvent { t: number; type: EventType; item: Item }
export interface Log { users: Map<string, LogEvent[]>; events: number; skipped: Map<string, number> }
export function splitLine(line: string): string[]
export function parseLog(text: string): Log
export function readLog(path: string): Log
export function readCompleteJourney(path: string): Log
