export const DOMAIN_SMOKE = 1;
