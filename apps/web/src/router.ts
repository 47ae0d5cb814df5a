import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { ctx, homeOf, loadContext } from './session';

const roles = {
  enterprise: ['enterprise'],
  supplier: ['supplier'],
  staff: ['coordinator', 'admin'],
};

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/app/' },
  { path: '/app/', name: 'home', component: () => import('./pages/Home.vue') },
  { path: '/app/sign-in', name: 'sign-in', component: () => import('./pages/SignIn.vue'), meta: { public: true } },
  { path: '/app/invite', name: 'invite', component: () => import('./pages/Invite.vue'), meta: { public: true } },
  { path: '/app/enterprise/report', component: () => import('./pages/EnterpriseReport.vue'), meta: { roles: roles.enterprise } },
  { path: '/app/enterprise/history', component: () => import('./pages/EnterpriseHistory.vue'), meta: { roles: roles.enterprise } },
  { path: '/app/enterprise/schedule', component: () => import('./pages/EnterpriseSchedule.vue'), meta: { roles: roles.enterprise } },
  { path: '/app/maker/capacity', component: () => import('./pages/MakerCapacity.vue'), meta: { roles: roles.supplier } },
  { path: '/app/maker/pickups', component: () => import('./pages/MakerPickups.vue'), meta: { roles: roles.supplier } },
  { path: '/app/maker/gate', component: () => import('./pages/MakerGate.vue'), meta: { roles: roles.supplier } },
  { path: '/app/coord/day', component: () => import('./pages/CoordDay.vue'), meta: { roles: roles.staff } },
  { path: '/app/coord/organizations', component: () => import('./pages/CoordOrganizations.vue'), meta: { roles: roles.staff } },
  { path: '/app/coord/runs', component: () => import('./pages/CoordRuns.vue'), meta: { roles: roles.staff } },
  { path: '/app/coord/runs/:runId', component: () => import('./pages/CoordRun.vue'), meta: { roles: roles.staff }, props: true },
  { path: '/app/coord/audit', component: () => import('./pages/CoordAudit.vue'), meta: { roles: roles.staff } },
  { path: '/app/:rest(.*)*', redirect: '/app/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

let loaded = false;
router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!loaded) {
    loaded = true;
    await loadContext().catch(() => null);
  }
  if (!ctx.value) return { path: '/app/sign-in' };
  const allowed = to.meta.roles as string[] | undefined;
  if (to.name === 'home' || (allowed && !allowed.includes(ctx.value.role))) return { path: homeOf(ctx.value.role) };
  return true;
});
