/* scenario.c: the demo's two referendums (scenario.h). */
#include "demo/scenario.h"

const int64_t demo_setup_time = 1776000000; /* 2026-04-12, before either opens */

const round_spec demo_rounds[2] = {
	{"spring-2026", "Regional self-government referendum", "Референдум о региональном самоуправлении",
	 "2026-05-17T08:00", "2026-05-17T20:00", "2026-05-18T12:00", NULL, NULL, NULL, NULL, NULL, 1,
	 {{"kaliningrad", "Kaliningrad", "Калининград",
	   "Do you approve the Kaliningrad charter of regional self-government?",
	   "Одобряете ли вы Устав регионального самоуправления Калининграда?", 721, 780},
	  {"ingria", "Ingria", "Ингрия",
	   "Do you approve the Ingria charter of regional self-government, with St Petersburg's districts?",
	   "Одобряете ли вы Устав регионального самоуправления Ингрии вместе с районами Санкт-Петербурга?", 662, 640},
	  {"kuban", "Kuban", "Кубань",
	   "Do you approve the Kuban charter of regional self-government and its land code?",
	   "Одобряете ли вы Устав регионального самоуправления Кубани и её земельный кодекс?", 557, 710},
	  {"siberia", "Siberia", "Сибирь",
	   "Do you approve the Siberian charter of regional self-government and its resource fund?",
	   "Одобряете ли вы Сибирский устав регионального самоуправления и его ресурсный фонд?", 639, 590},
	  {"urals", "Urals", "Урал",
	   "Do you approve the Urals charter of regional self-government?",
	   "Одобряете ли вы Уральский устав регионального самоуправления?", 682, 830}}},
	{"july-2026", "Regional budgets referendum", "Референдум о региональных бюджетах",
	 "2026-06-01T00:00", "2026-06-15T23:59", "2026-06-30T12:00",
	 "2026-07-01T00:00", "2026-07-15T23:59", "2026-07-31T12:00",
	 "Postponed to July so that every region's voter roll can be checked",
	 "Перенесён на июль, чтобы проверить списки избирателей каждого региона", 0,
	 {{"chuvashia", "Chuvashia", "Чувашия",
	   "Should Chuvashia spend its development fund on rural roads?",
	   "Должна ли Чувашия направить фонд развития на сельские дороги?", 584, 690},
	  {"karelia", "Karelia", "Карелия",
	   "Should Karelia create a protected forest zone along Lake Onega?",
	   "Должна ли Карелия создать заповедную лесную зону вдоль Онежского озера?", 713, 620},
	  {"belgorod", "Belgorod", "Белгород",
	   "Should Belgorod rebuild its border villages before new roads?",
	   "Должен ли Белгород восстанавливать приграничные сёла раньше новых дорог?", 806, 750},
	  {"novgorod", "Novgorod", "Новгород",
	   "Should Novgorod restore the Yaroslav's Court ensemble from the regional budget?",
	   "Должен ли Новгород восстановить Ярославово дворище за счёт областного бюджета?", 476, 560},
	  {"voronezh", "Voronezh", "Воронеж",
	   "Should Voronezh open a second river port on the Don?",
	   "Должен ли Воронеж открыть второй речной порт на Дону?", 529, 670}}},
};

json_t *demo_text(const char *en, const char *ru)
{
	return json_pack("{s:s,s:s}", "en", en, "ru", ru);
}

json_t *demo_spec_json(const round_spec *rs, const json_t *trustees, const json_t *authorities)
{
	json_t *regs = json_array();
	for (int i = 0; regs && i < NREG; i++) {
		const region_spec *r = &rs->regions[i];
		json_t *q = json_pack("{s:o,s:[o,o],s:i,s:i}", "text", demo_text(r->q_en, r->q_ru), "choices",
		                      demo_text("Yes", "Да"), demo_text("No", "Нет"), "min", 0, "max", 1);
		json_array_append_new(regs, json_pack("{s:s,s:o,s:[o]}", "id", r->id, "name", demo_text(r->en, r->ru),
		                                      "questions", q));
	}
	return json_pack("{s:s,s:o,s:s,s:s,s:s,s:s,s:{s:i,s:O},s:O,s:o}", "id", rs->id, "title",
	                 demo_text(rs->title_en, rs->title_ru), "timezone", DEMO_ZONE, "opens_at", rs->opens,
	                 "closes_at", rs->closes, "announce_at", rs->announce, "trustees", "t", THRESHOLD, "members",
	                 trustees, "authorities", authorities, "regions", regs);
}
