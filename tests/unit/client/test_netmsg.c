/* What a member is told when a request fails (screens/netmsg.c): each kind of failure, on a
 * screen that gives up and on one that keeps retrying (home). */
#include "screens/netmsg.h"
#include "../check.h"

static void test_each_failure_is_told(void)
{
    static const struct {
        enum net_error error;
        long status;
        enum net_msg_mode mode;
        const char *what, *help;
    } cases[] = {
        { NET_ERR_CONNECT, 0, NET_MSG_GAVE_UP, "连不上服务器", "请看看网线和路由器是否接好" },
        { NET_ERR_CONNECT, 0, NET_MSG_RETRYING, "连不上服务器，正在重试…",
          "请看看网线和路由器是否接好" },
        { NET_ERR_TLS_VERIFY, 0, NET_MSG_GAVE_UP, "无法确认服务器身份（证书不受信任）",
          "请联系村干部检查机顶盒的设置" },
        { NET_ERR_TIMEOUT, 0, NET_MSG_RETRYING, "服务器没有回应，正在重试…",
          "网络可能很慢，请稍等" },
        { NET_ERR_TOO_LARGE, 0, NET_MSG_GAVE_UP, "网络出了问题，没能打开", "请稍后再试" },
        { NET_ERR_OTHER, 0, NET_MSG_RETRYING, "网络出了问题，正在重试…", "请稍后再看" },
        { NET_OK, 401, NET_MSG_GAVE_UP, "这台机顶盒尚未登记", "请联系村干部" },
        { NET_OK, 401, NET_MSG_RETRYING, "这台机顶盒尚未登记，请联系村干部",
          "登记好以后，这里会自动打开" },
        { NET_OK, 404, NET_MSG_GAVE_UP, "这条内容已经撤下了", "按“返回”键回到上一页" },
        { NET_OK, 404, NET_MSG_RETRYING, "收到的内容有误，正在重试…", "请稍后再看" },
        { NET_OK, 503, NET_MSG_GAVE_UP, "服务器出了问题", "请稍后再试" },
        { NET_OK, 200, NET_MSG_GAVE_UP, "收到的内容有误", "请稍后再试" }, /* not understood */
        { NET_OK, 400, NET_MSG_RETRYING, "收到的内容有误，正在重试…", "请稍后再看" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct net_result r = { .error = cases[i].error, .http_status = cases[i].status };
        struct net_msg m = net_msg_for(&r, cases[i].mode);
        CHECK_EQ_STR(m.what, cases[i].what);
        CHECK_EQ_STR(m.help, cases[i].help);
    }
}

int main(void)
{
    RUN(test_each_failure_is_told);
    return CHECK_DONE();
}
