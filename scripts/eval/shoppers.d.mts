// Types for the scripted shoppers, so the TypeScript tests can import them.
import type { createPalate as CreatePalate, EventType, Item, PalateOptions } from '@palate/core'

export interface ScriptedEvent { t: number; type: EventType; item: Item & { category: string } }
export interface Scenario {
  name: string
  story: string
  before: ScriptedEvent[]
  after: ScriptedEvent[]
  switchAt: number
  from?: string
  to: string
  leftAt?: number
}
export interface StrayScenario { name: string; story: string; before: ScriptedEvent[]; after: ScriptedEvent[]; switchAt: number; stray: string }
export const HOUR: number
export const DAY: number
export const START: number
export function product(category: string, n?: number, extra?: Partial<Item>): Item & { category: string }
export function history(days: number, plan: (day: number) => [EventType, Item][], from?: number): ScriptedEvent[]
export function isUnder(candidate: string, key: string): boolean
export function positionOf(palate: ReturnType<typeof CreatePalate>, key: string, limit?: number): number
export function gymToHiking(perDay?: number): Scenario
export function gymOnly(): Scenario
export function seasonal(): Scenario
export function giftBurst(): Scenario
export function strayView(): StrayScenario
export function returning(): Scenario & { leftAt: number }
export const scenarios: (() => Scenario | StrayScenario)[]
export function replayInto(createPalate: typeof CreatePalate, events: readonly ScriptedEvent[], options?: PalateOptions): { palate: ReturnType<typeof CreatePalate>; clock: { t: number } }
export function measure(createPalate: typeof CreatePalate, scenario: Scenario | StrayScenario, options?: PalateOptions): string
export function leadTime(createPalate: typeof CreatePalate, scenario: Scenario, options?: PalateOptions): { events: number; days: number } | null
