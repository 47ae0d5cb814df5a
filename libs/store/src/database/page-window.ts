/** Which rows of a list to read: the store puts it into the query (LIMIT/OFFSET), never slices in memory. */
export interface PageWindow {
  skip: number;
  take: number;
}

/** One window of a list and how many rows the whole list has. */
export interface PageSlice<T> {
  items: T[];
  total: number;
}
