import { NotFoundError } from "../domain/errors";
import type { Series } from "../domain/event";
import { parseSeriesInput } from "../domain/validate-event";
import type { EditingDeps } from "./edit-events";

export const listSeries = (deps: EditingDeps): Promise<Series[]> => deps.repository.listSeries();

export const getSeries = async (deps: EditingDeps, id: string): Promise<Series> => {
  const series = await deps.repository.getSeries(id);
  if (!series) throw new NotFoundError(`No series with id ${id}`);
  return series;
};

/** Creates or replaces a series (its translated name and description). */
export const saveSeries = async (deps: EditingDeps, id: string, body: unknown): Promise<Series> => {
  const input = parseSeriesInput(id, body, deps.languages);
  const series: Series = { ...input, updatedAt: (deps.now ?? (() => new Date().toISOString()))() };
  await deps.repository.putSeries(series);
  return series;
};
