/* Chinese names (see names.h). */
#include <stdio.h>
#include <string.h>

#include "fangkong/feed.h"
#include "gen/divisions.h"
#include "gen/names.h"

#define N(a) ((unsigned)(sizeof a / sizeof a[0]))

/* The most common surnames, roughly in order of frequency (drawn with Zipf-like weights). */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康",
    "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤",
    "尹", "黎", "易", "常", "武", "乔", "贺", "赖", "龚", "文", "牛", "温", "申", "翟", "霍"};
static const char *const male_chars[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
    "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "欢",
    "阳", "建", "国", "峰", "亮", "成", "志", "文", "博", "海", "晨", "瑞", "子", "轩", "泽",
    "晋", "鸿", "振", "德", "永", "庆", "红", "兵", "东", "新", "春", "嘉", "宏", "立", "昊"};
static const char *const female_chars[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "莹", "晶",
    "红", "颖", "琳", "倩", "洁", "梅", "萍", "欣", "佳", "悦", "璐", "婧", "雯", "瑶", "蕾",
    "丹", "岚", "秀", "英", "华", "兰", "凤", "玉", "春", "晓", "思", "雨", "梦", "涵", "怡",
    "诗", "可", "心", "一", "桂", "淑", "美", "彤", "甜", "亚", "小", "文", "月", "琴", "宁"};

static const char *const roads[] = {
    "迎泽", "府西", "解放", "五一", "并州", "长风", "学府", "南内环", "北中环", "千峰",
    "滨河", "亲贤", "体育", "建设", "新建", "晋祠", "和平", "漪汾",   "胜利",   "双塔",
    "坞城", "平阳", "龙城", "许坦", "小店", "真武", "长治", "康宁",   "桃园",   "柳巷",
    "坝陵", "三桥", "杏花", "涧河", "兴华", "西铭", "下元", "南寒",   "义井",   "晋阳",
    "清源", "徐沟", "汾河", "大运", "太榆", "太原", "恒山", "五龙口", "北大",   "享堂"};
static const char *const syll1[] = {"东", "西", "南", "北", "新", "和", "安", "康", "兴", "福",
                                    "金", "华", "明", "丰", "盛", "平", "长", "永", "文", "学",
                                    "春", "晋", "阳", "光", "锦", "祥", "瑞", "泰", "富", "恒",
                                    "德", "嘉", "宁", "乐", "鑫", "益", "汾", "龙", "凤", "松",
                                    "柏", "桃", "梨", "杏", "枣", "清", "云", "湖", "山", "河"};
static const char *const syll2[] = {
    "苑",   "园",   "庄",   "坊",   "里",   "湾",   "坡",   "营",   "堡",   "桥",   "峪",   "沟",
    "源",   "泉",   "林",   "苑东", "苑西", "新村", "花园", "家园", "小区", "北里", "南里", "城",
    "台",   "门",   "关",   "街",   "巷",   "峰",   "岭",   "寨",   "屯",   "店",   "口",   "滩",
    "塔",   "楼",   "阁",   "院",   "宫",   "亭",   "居",   "府",   "院西", "南苑", "北苑", "东苑",
    "西苑", "中苑", "景苑", "雅苑", "馨苑", "佳苑", "华庭", "名都", "御府", "铭城", "美域", "锦园"};

/* Well-known places of Taiyuan: kind, district (index into fk__districts), real name. */
struct famous {
  const char *kind;
  int district;
  const char *name;
};
static const struct famous famous[] = {
    {"airport", 0, "太原武宿国际机场"},
    {"railway_station", 1, "太原站"},
    {"railway_station", 0, "太原南站"},
    {"railway_station", 2, "太原东站"},
    {"railway_station", 3, "太原北站"},
    {"university", 0, "山西大学"},
    {"university", 4, "太原理工大学"},
    {"university", 3, "中北大学"},
    {"university", 2, "山西医科大学"},
    {"university", 0, "山西财经大学"},
    {"university", 4, "太原科技大学"},
    {"university", 0, "太原师范学院"},
    {"university", 5, "山西中医药大学"},
    {"university", 5, "太原工业学院"},
    {"hospital", 1, "山西医科大学第一医院"},
    {"hospital", 0, "山西省人民医院"},
    {"hospital", 0, "山西白求恩医院"},
    {"hospital", 2, "太原市中心医院"},
    {"hospital", 2, "山西医科大学第二医院"},
    {"hospital", 4, "太原钢铁集团总医院"},
    {"fever_clinic", 1, "山西医科大学第一医院发热门诊"},
    {"fever_clinic", 0, "山西省人民医院发热门诊"},
    {"park", 1, "迎泽公园"},
    {"park", 4, "汾河公园"},
    {"park", 3, "龙潭公园"},
    {"park", 5, "晋阳湖公园"},
    {"park", 2, "儿童公园"},
    {"scenic_spot", 5, "晋祠"},
    {"scenic_spot", 5, "天龙山"},
    {"scenic_spot", 1, "双塔寺"},
    {"scenic_spot", 2, "崇善寺"},
    {"scenic_spot", 4, "中国煤炭博物馆"},
    {"scenic_spot", 4, "山西博物院"},
    {"mall", 0, "太原万象城"},
    {"mall", 2, "北美新天地"},
    {"mall", 1, "茂业天地"},
    {"mall", 1, "铜锣湾购物中心"},
    {"mall", 4, "万达广场"},
    {"theatre", 4, "山西大剧院"},
    {"metro", 0, "地铁2号线长风街站"},
    {"metro", 1, "地铁2号线大南门站"},
    {"metro", 2, "地铁2号线府西街站"},
    {"metro", 3, "地铁2号线西涧河站"},
    {"metro", 0, "地铁2号线南内环站"},
    {"metro", 0, "地铁2号线学府街站"},
};

/* Templates by kind: a list of brands or prefixes and a suffix. */
static const char *const supermarkets[] = {"美特好", "华联",   "唐久便利", "金虎便利",
                                           "家乐福", "沃尔玛", "永辉",     "好邻居"};
static const char *const restaurants[] = {"刀削面馆", "饭店",   "面馆",   "火锅店", "烧烤",
                                          "饺子馆",   "小吃店", "家常菜", "莜面馆", "烧卖馆",
                                          "快餐",     "包子铺", "茶餐厅", "羊汤馆"};
static const char *const pharmacies[] = {"大参林", "老百姓大药房", "一心堂", "益生堂", "国大药房"};
static const char *const hotels[] = {"如家",     "汉庭", "锦江之星", "7天",
                                     "格林豪泰", "亚朵", "维也纳"};
static const char *const banks[] = {"中国工商银行", "中国建设银行", "中国银行", "中国农业银行",
                                    "交通银行",     "晋商银行",     "邮储银行"};
static const char *const cinemas[] = {"万达影城", "博纳国际影城", "横店电影城", "CGV影城"};
static const char *const govs[] = {"派出所", "街道办事处", "政务服务中心", "税务所", "社保中心"};
static const char *const offices[] = {"大厦", "写字楼", "商务中心", "科技园", "国际大厦"};
static const char *const factories[] = {"机械厂", "化工厂",   "食品厂", "制药厂",
                                        "纺织厂", "钢构公司", "电子厂", "印刷厂"};
static const char *const homes[] = {"小区", "花园", "家园", "苑", "新村", "公寓", "社区"};

size_t fk__name_person(struct fk__rng *r, int female, char *out, size_t size)
{
  /* Zipf-like: squaring a uniform favours the common surnames at the front. */
  double u = fk__rng_unit(r);
  const char *sur = surnames[(unsigned)(u * u * N(surnames))];
  const char *const *given = female ? female_chars : male_chars;
  unsigned ng = female ? N(female_chars) : N(male_chars);
  const char *g1 = given[fk__rng_below(r, ng)];
  const char *g2 = fk__rng_chance(r, 0.7) ? given[fk__rng_below(r, ng)] : "";
  return (size_t)snprintf(out, size, "%s%s%s", sur, g1, g2);
}

size_t fk__name_community(unsigned k, int rural, char *out, size_t size)
{
  /* A stride coprime to the table sizes walks every pair once before repeating. */
  unsigned n1 = N(syll1), n2 = N(syll2);
  unsigned idx = (k * 37u + 11u) % (n1 * n2);
  return (size_t)snprintf(out, size, "%s%s%s", syll1[idx % n1], syll2[idx / n1 % n2],
                          rural ? "村" : "社区");
}

const char *fk__name_road(struct fk__rng *r)
{
  return roads[fk__rng_below(r, N(roads))];
}

static const char *pick(struct fk__rng *r, const char *const *list, unsigned n)
{
  return list[fk__rng_below(r, n)];
}

size_t fk__name_place(struct fk__rng *r, int kind, int district, unsigned ordinal, char *out,
                      size_t size)
{
  const char *k = fk_place_kinds[kind];
  unsigned seen = 0;
  for (unsigned i = 0; i < N(famous); i++)
    if (famous[i].district == district && !strcmp(famous[i].kind, k) && seen++ == ordinal)
      return (size_t)snprintf(out, size, "%s", famous[i].name);
  const char *road = fk__name_road(r);
  const char *dn = fk__districts[district].name;
  int n;
#define IS(s) (!strcmp(k, s))
  if (IS("supermarket"))
    n = snprintf(out, size, "%s%s店", pick(r, supermarkets, N(supermarkets)), road);
  else if (IS("market"))
    n = snprintf(out, size, "%s%s", road, fk__rng_chance(r, 0.5) ? "农贸市场" : "菜市场");
  else if (IS("restaurant"))
    n = snprintf(out, size, "%s%s%s", road, pick(r, surnames, 30),
                 pick(r, restaurants, N(restaurants)));
  else if (IS("office"))
    n = snprintf(out, size, "%s%s%s", pick(r, syll1, N(syll1)), road, pick(r, offices, N(offices)));
  else if (IS("factory"))
    n = snprintf(out, size, "太原%s%s", pick(r, syll1, N(syll1)), pick(r, factories, N(factories)));
  else if (IS("school"))
    n = snprintf(out, size, "%s%s", road, fk__rng_chance(r, 0.6) ? "小学" : "中学");
  else if (IS("kindergarten"))
    n = snprintf(out, size, "%s%s幼儿园", road, pick(r, syll1, N(syll1)));
  else if (IS("university"))
    n = snprintf(out, size, "太原%s职业技术学院", pick(r, syll1, N(syll1)));
  else if (IS("hospital"))
    n = fk__rng_chance(r, 0.3) ? snprintf(out, size, "%s人民医院", dn)
                               : snprintf(out, size, "%s社区卫生服务中心", road);
  else if (IS("fever_clinic"))
    n = snprintf(out, size, "%s医院发热门诊", road);
  else if (IS("pharmacy"))
    n = snprintf(out, size, "%s%s店", pick(r, pharmacies, N(pharmacies)), road);
  else if (IS("bus"))
    n = snprintf(out, size, "公交%u路", 1 + fk__rng_below(r, 900));
  else if (IS("metro"))
    n = snprintf(out, size, "地铁%s站", road);
  else if (IS("railway_station"))
    n = snprintf(out, size, "%s站", dn);
  else if (IS("airport"))
    n = snprintf(out, size, "%s通用机场", dn);
  else if (IS("hotel"))
    n = snprintf(out, size, "%s酒店%s店", pick(r, hotels, N(hotels)), road);
  else if (IS("gym"))
    n = snprintf(out, size, "%s健身中心", road);
  else if (IS("cinema"))
    n = snprintf(out, size, "%s%s店", pick(r, cinemas, N(cinemas)), road);
  else if (IS("theatre"))
    n = snprintf(out, size, "%s剧场", road);
  else if (IS("park"))
    n = snprintf(out, size, "%s%s", road, fk__rng_chance(r, 0.5) ? "公园" : "广场");
  else if (IS("scenic_spot"))
    n = snprintf(out, size, "%s%s景区", road, pick(r, syll2, 15));
  else if (IS("mall"))
    n = snprintf(out, size, "%s%s购物中心", road, pick(r, syll1, N(syll1)));
  else if (IS("bank"))
    n = snprintf(out, size, "%s太原%s支行", pick(r, banks, N(banks)), road);
  else if (IS("government"))
    n = snprintf(out, size, "%s%s%s", dn, road, pick(r, govs, N(govs)));
  else if (IS("construction_site"))
    n = snprintf(out, size, "%s%s项目工地", road, pick(r, syll1, N(syll1)));
  else if (IS("cold_store"))
    n = snprintf(out, size, "%s冷链物流中心", road);
  else if (IS("residential"))
    n = snprintf(out, size, "%s%s%s", pick(r, syll1, N(syll1)), road, pick(r, homes, N(homes)));
  else
    n = snprintf(out, size, "%s%s", road, k);
#undef IS
  return n < 0 ? 0 : (size_t)n;
}

unsigned fk__famous_count(int kind, int district)
{
  unsigned n = 0;
  for (unsigned i = 0; i < N(famous); i++)
    if (famous[i].district == district && !strcmp(famous[i].kind, fk_place_kinds[kind])) n++;
  return n;
}
