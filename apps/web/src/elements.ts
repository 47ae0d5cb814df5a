import type { App } from 'vue';
import {
  ElAlert, ElButton, ElCard, ElCol, ElConfigProvider, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElEmpty, ElForm,
  ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption, ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElRow,
  ElSelect, ElStatistic, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTimeSelect, ElTooltip, ElLoading,
} from 'element-plus';

/** Only the Element Plus components the console uses, so the bundle carries no others. */
export function registerElements(app: App): void {
  for (const c of [
    ElAlert, ElButton, ElCard, ElCol, ElConfigProvider, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElEmpty, ElForm,
    ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption, ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElRow,
    ElSelect, ElStatistic, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTimeSelect, ElTooltip, ElLoading,
  ]) app.use(c);
}
