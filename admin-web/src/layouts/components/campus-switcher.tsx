import { BankOutlined } from '@ant-design/icons';
import { Select, Space } from 'antd';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';

const ALL_CAMPUSES = '__all__';

/** The header's campus picker, shown when the user's scope spans several campuses. */
export function CampusSwitcher() {
  const { campuses, campusId, enabled, setCampusId } = useCampusFilter();
  if (!enabled) return null;
  return (
    <Space size={4} align="center" style={{ paddingInline: 8 }}>
      <BankOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />
      <Select
        data-testid="campus-switcher"
        aria-label="当前校区"
        size="small"
        variant="filled"
        style={{ width: 168 }}
        popupMatchSelectWidth={false}
        value={campusId ?? ALL_CAMPUSES}
        onChange={(value: string) => setCampusId(value === ALL_CAMPUSES ? null : value)}
        options={[
          { value: ALL_CAMPUSES, label: '全部校区' },
          ...campuses.map((campus) => ({ value: campus.id, label: campus.name })),
        ]}
      />
    </Space>
  );
}
