package io.tracemark.trace.scan;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.Message;

/** The scan pages in Simplified Chinese, for Accept-Language zh (zh-CN, zh-TW, ...). */
@Localized("zh")
public interface ScanMessagesZh extends ScanMessages {

    @Override
    @Message("这件产品是正品吗？")
    String verdictHeading();

    @Override
    @Message("{#when verdict}{#is 'genuine'}正品码"
            + "{#is 'never_issued'}未知代码：可能是假冒产品"
            + "{#is 'not_in_circulation'}代码尚未投入流通：可能是假冒产品"
            + "{#is 'voided'}已作废的代码"
            + "{#is 'recalled'}产品已被召回"
            + "{#is 'sold_scanned_far_away'}已在别处售出"
            + "{#else}{verdict}{/when}")
    String verdict(String verdict);

    @Override
    @Message("{#when verdict}{#is 'genuine'}此代码由品牌的登记系统签发，记录没有任何异常。您可以正常使用该产品。"
            + "{#is 'never_issued'}品牌的登记系统从未签发过此代码。请不要使用该产品：保留产品和购物凭证，并告知购买的商店或品牌方。"
            + "{#is 'not_in_circulation'}此代码由品牌的登记系统签发，但带有此代码的产品尚未出厂：正品目前不会带有此代码。请不要使用该产品：保留产品和购物凭证，并告知购买的商店或品牌方。"
            + "{#is 'voided'}此代码已在工厂作废，不应出现在任何产品上。请不要使用该产品，并告知购买的商店或品牌方。"
            + "{#is 'recalled'}品牌方已召回此产品。请停止使用，并按照品牌方的召回说明处理，或退回商店。"
            + "{#is 'sold_scanned_far_away'}这件商品已在离您很远的商店售出，其代码可能被复制。请检查包装，如有疑问请询问卖家或品牌方。"
            + "{#else}{/when}")
    String advice(String verdict);

    @Override
    @Message("生产地点和时间")
    String originHeading();

    @Override
    @Message("工厂")
    String factory();

    @Override
    @Message("生产线")
    String line();

    @Override
    @Message("批号")
    String lot();

    @Override
    @Message("生产日期")
    String productionDate();

    @Override
    @Message("保质期至")
    String expiryDate();

    @Override
    @Message("流通历程")
    String journeyHeading();

    @Override
    @Message("尚无记录。")
    String noJourney();

    @Override
    @Message("{#when step}{#is 'commissioning'}生产并赋码"
            + "{#is 'packing'}装箱{#is 'unpacking'}拆箱"
            + "{#is 'shipping'}发货{#is 'receiving'}收货"
            + "{#is 'retail_selling'}售出{#is 'holding'}暂扣"
            + "{#is 'decommissioning'}停用{#is 'destroying'}销毁"
            + "{#else}{step}{/when}")
    String step(String step);

    @Override
    @Message("发往{place}")
    String destination(String place);

    @Override
    @Message("销售地点")
    String soldHeading();

    @Override
    @Message("{time}在{place}售出。")
    String soldAt(String place, String time);

    @Override
    @Message("尚无此商品的销售记录。")
    String notSold();

    @Override
    @Message("此前的扫描")
    String scansHeading();

    @Override
    @Message("这是此代码的首次扫描。")
    String firstScan();

    @Override
    @Message("此代码此前已被扫描{#if more}超过{count}次{#else}{count}次{/if}，首次扫描于{firstOn}{#if firstCountry}（{firstCountry}）{/if}。"
            + "如果您刚买下此商品且自己未曾扫描，其代码可能已被复制。")
    String earlierScans(long count, boolean once, boolean more, String firstOn, String firstCountry);

    @Override
    @Message("代码")
    String code();

    @Override
    @Message("商品编码（GTIN）")
    String gtin();

    @Override
    @Message("序列号")
    String serial();

    @Override
    @Message("拍照识别代码")
    String photoHeading();

    @Override
    @Message("拍摄产品上的二维码或 Data Matrix 码（在电脑上请选择其图片）。JPEG 或 PNG 格式，不超过 {megabytes} MB。")
    String photoHint(long megabytes);

    @Override
    @Message("代码照片")
    String photoLabel();

    @Override
    @Message("识别代码")
    String photoSubmit();

    @Override
    @Message("应用数据")
    String appData();

    @Override
    @Message("{#when kind}{#is 'unreadable-photo'}无法从这张照片中识别出代码"
            + "{#is 'foreign-code'}这不是我们的代码"
            + "{#is 'too-many-requests'}来自您网络的扫描次数过多"
            + "{#is 'payload-too-large'}照片太大"
            + "{#is 'unsupported-media-type'}无法读取此文件，它不是照片"
            + "{#is 'validation-failed'}这不是有效的产品代码"
            + "{#is 'not-found'}未找到内容"
            + "{#else}出现了问题{/when}")
    String problemTitle(String kind);

    @Override
    @Message("{#when kind}{#is 'unreadable-photo'}请拿稳手机，让代码占满画面，避免反光，然后重试。"
            + "{#is 'foreign-code'}照片中有一个代码，但不是此品牌登记系统签发的：它可能是其他网站的网址或其他公司的代码。如果这是产品上唯一的代码，该产品可能不是正品，请询问商店或品牌方。"
            + "{#is 'too-many-requests'}请等待 {seconds} 秒后重试。"
            + "{#is 'payload-too-large'}请发送较小的照片：裁剪到只含代码，或降低相机分辨率。"
            + "{#is 'unsupported-media-type'}请选择代码的 JPEG 或 PNG 图片。"
            + "{#is 'validation-failed'}请重新扫描代码。如果再次出现此页面，代码可能已损坏，或不属于正品。"
            + "{#is 'not-found'}请检查网址，或重新扫描代码。"
            + "{#else}请稍后重试。{/when}")
    String problemAdvice(String kind, long seconds);

    @Override
    @Message("详细信息")
    String problemDetail();
}
