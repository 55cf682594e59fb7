#include "screens/netmsg.h"

enum problem {
    P_OTHER,
    P_TLS,
    P_CONNECT,
    P_TIMEOUT,
    P_UNREGISTERED,
    P_GONE,
    P_SERVER,
    P_BAD_REPLY,
    P_COUNT
};

static enum problem classify(const struct net_result *r)
{
    switch (r->error) {
    case NET_ERR_TLS_VERIFY:
        return P_TLS;
    case NET_ERR_CONNECT:
        return P_CONNECT;
    case NET_ERR_TIMEOUT:
        return P_TIMEOUT;
    case NET_OK:
        break;
    default:
        return P_OTHER;
    }
    if (r->http_status == 401)
        return P_UNREGISTERED;
    if (r->http_status == 404)
        return P_GONE;
    if (r->http_status >= 500)
        return P_SERVER;
    return P_BAD_REPLY;
}

/* [problem][mode]. Home asks for one fixed thing: a 404 there is a reply it cannot use, not an
 * item taken down; an unregistered box is told it will open by itself once registered. */
static const struct net_msg texts[P_COUNT][2] = {
    [P_OTHER] = { { "网络出了问题，没能打开", "请稍后再试" },
                  { "网络出了问题，正在重试…", "请稍后再看" } },
    [P_TLS] = { { "无法确认服务器身份（证书不受信任）", "请联系村干部检查机顶盒的设置" },
                { "无法确认服务器身份（证书不受信任），正在重试…",
                  "请联系村干部检查机顶盒的设置" } },
    [P_CONNECT] = { { "连不上服务器", "请看看网线和路由器是否接好" },
                    { "连不上服务器，正在重试…", "请看看网线和路由器是否接好" } },
    [P_TIMEOUT] = { { "服务器没有回应", "网络可能很慢，请稍等" },
                    { "服务器没有回应，正在重试…", "网络可能很慢，请稍等" } },
    [P_UNREGISTERED] = { { "这台机顶盒尚未登记", "请联系村干部" },
                         { "这台机顶盒尚未登记，请联系村干部", "登记好以后，这里会自动打开" } },
    [P_GONE] = { { "这条内容已经撤下了", "按“返回”键回到上一页" },
                 { "收到的内容有误，正在重试…", "请稍后再看" } },
    [P_SERVER] = { { "服务器出了问题", "请稍后再试" },
                   { "服务器出了问题，正在重试…", "请稍后再看" } },
    [P_BAD_REPLY] = { { "收到的内容有误", "请稍后再试" },
                      { "收到的内容有误，正在重试…", "请稍后再看" } },
};

struct net_msg net_msg_for(const struct net_result *r, enum net_msg_mode mode)
{
    return texts[classify(r)][mode == NET_MSG_RETRYING];
}
