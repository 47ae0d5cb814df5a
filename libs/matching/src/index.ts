export const MATCHING_SMOKE = 1;
